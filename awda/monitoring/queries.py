"""Reads of monitoring: the instrument versions in use and a returnee's responses."""

from __future__ import annotations

from django.db.models import QuerySet

from awda.monitoring.enums import VersionStatus
from awda.monitoring.models import InstrumentVersion, SurveyResponse
from awda.registry.models import Returnee


def versions_in_use() -> list[InstrumentVersion]:
    """The latest published version of each instrument."""
    latest: dict[int, InstrumentVersion] = {}
    for version in (
        InstrumentVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("instrument")
        .order_by("instrument__code", "-number")
    ):
        latest.setdefault(version.instrument_id, version)
    return list(latest.values())


def version_in_use(code: str) -> InstrumentVersion | None:
    return (
        InstrumentVersion.objects.filter(instrument__code=code, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )


def responses_of(returnee: Returnee) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(returnee=returnee).select_related(
        "version__instrument", "collected_by"
    )
