"""The cross-reference on the case page: the returnee's records in other registers, with the synced fields."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.dateparse import parse_date

from awda.accounts.models import User
from awda.core import audit
from awda.core.models import AuditAction, localized
from awda.exchange import enums
from awda.exchange.models import CandidatePair
from awda.registry.models import Returnee


def cross_reference_panel(viewer: User, returnee: Returnee, request: HttpRequest | None = None) -> str:
    """Links confirmed by the engine or a steward, from the sources of the viewer's own institution.

    Uncertain pairs are not shown: a case worker must not act on a match nobody has confirmed.
    """
    if viewer.institution_id is None:
        return ""
    pairs = (
        CandidatePair.objects.filter(
            returnee=returnee,
            record__isnull=False,
            record__source__institution_id=viewer.institution_id,
            status__in=[enums.PairStatus.LINKED, enums.PairStatus.SAME],
        )
        .select_related("record__source")
        .order_by("record__source__name_en", "-match_probability")
    )
    labels = dict(enums.SourceField.choices)
    links = []
    for pair in pairs:
        record = pair.record
        assert record is not None
        source = record.source
        synced = []
        for key in source.sync_fields:
            value = record.values.get(key, "")
            if value:
                if key == "status_date":
                    value = parse_date(value) or value
                synced.append((labels.get(key, key), value))
        links.append(
            {
                "source_name": source.name,
                "status_label": localized(source, "status_label"),
                "synced": synced,
                "external_id": record.external_id,
                "updated": record.updated_at,
            }
        )
        audit.record(actor=viewer, action=AuditAction.READ, obj=record)
    if not links:
        return ""
    return render_to_string("exchange/case_crossref.html", {"links": links}, request=request)
