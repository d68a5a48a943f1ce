"""Categories of returnees: facts from the record, rules from the database, results with their reasons."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from awda.geo.regions import region_of
from awda.registry import rules
from awda.registry.enums import CaseEventKind, DocumentStatus, DocumentType
from awda.registry.models import CaseEvent, Category, Returnee, ReturneeCategory

# How many records a rule is tried on before an administrator saves it.
PREVIEW_SAMPLE = 5000


def _age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _months_between(start: date | None, end: date) -> int | None:
    if start is None or start > end:
        return None
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def documents_missing(document_statuses: list[tuple[str, str]]) -> bool:
    """No national card held, or any document not held (lost, expired, being issued…)."""
    held_national = any(
        kind == DocumentType.NATIONAL_CARD and status == DocumentStatus.HELD
        for kind, status in document_statuses
    )
    return not held_national or any(status != DocumentStatus.HELD for _kind, status in document_statuses)


def facts_from_parts(
    record: Any,
    *,
    document_statuses: list[tuple[str, str]],
    skill_levels: list[int],
    qualifications_recognised: list[bool],
    needs: list[str],
    is_head: bool,
    household_size: int,
    dependants: int,
    today: date,
) -> dict[str, Any]:
    """The facts the rules read, from plain values (``record`` is a Returnee or any object with its fields)."""
    country = getattr(record, "country_returned_from_id", None)
    return {
        "age": _age(record.date_of_birth, today),
        "sex": record.sex or None,
        "return_type": record.return_type or None,
        "status_abroad": record.status_abroad or None,
        "country_returned_from": country,
        "country_region": region_of(country),
        "months_since_return": _months_between(record.return_date, today),
        "time_abroad_months": record.months_abroad,
        "times_displaced": record.times_displaced,
        "education_level": record.education_level,
        "has_qualification": bool(qualifications_recognised),
        "has_recognised_qualification": any(qualifications_recognised),
        "highest_skill_level": max(skill_levels, default=None),
        "employment_status": record.employment_status or None,
        "is_head_of_household": is_head,
        "household_size": household_size,
        "dependants": dependants,
        "vulnerabilities": list(record.vulnerabilities or []),
        "needs": sorted(set(needs)),
        "intends_to_migrate_again": record.intends_to_migrate_again or None,
        "has_debt": record.has_debt,
        "sold_assets_to_migrate": record.sold_assets_to_migrate,
        "missing_documents": documents_missing(document_statuses),
        "settlement": record.settlement or None,
        "governorate": record.governorate_id,
    }


def returnee_facts(returnee: Returnee, *, today: date | None = None) -> dict[str, Any]:
    """The facts of one stored record and its related rows (prefetch them for batches)."""
    membership = getattr(returnee, "household_membership", None) if returnee.pk else None
    members = list(returnee.household.members.all()) if returnee.household is not None else []
    return facts_from_parts(
        returnee,
        document_statuses=[(d.type, d.status) for d in returnee.documents.all()],
        skill_levels=[s.occupation.skill_level for s in returnee.skills.all()],
        qualifications_recognised=[q.recognised for q in returnee.qualifications.all()],
        needs=[n.category for n in returnee.needs.all() if not n.is_interest],
        is_head=bool(membership and membership.is_head),
        household_size=len(members) if members else 1,
        dependants=sum(1 for m in members if m.is_dependant),
        today=today or timezone.localdate(),
    )


def spec_of(category: Category) -> rules.CategoryRuleSpec:
    return rules.CategoryRuleSpec(
        code=category.code,
        kind="vulnerability" if category.kind == "vulnerability" else "category",
        names={"ar": category.name_ar, "ckb": category.name_ckb, "en": category.name_en},
        descriptions={
            "ar": category.description_ar,
            "ckb": category.description_ckb,
            "en": category.description_en,
        },
        condition=category.condition,
    )


def active_categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True).order_by("order", "code"))


def _reason_payload(result: rules.CategoryResult) -> list[dict[str, str]]:
    return [dict(reason.text) for reason in result.reasons]


def apply_categories(
    returnee: Returnee,
    *,
    categories: Sequence[Category] | None = None,
    actor: Any = None,
    facts: dict[str, Any] | None = None,
) -> bool:
    """Recompute the returnee's categories; record the change on the timeline. Returns whether they changed."""
    categories = list(categories) if categories is not None else active_categories()
    by_code = {c.code: c for c in categories}
    results = rules.categorise([spec_of(c) for c in categories], facts or returnee_facts(returnee))
    wanted = {r.code: r for r in results}
    current = {
        rc.category.code: rc
        for rc in ReturneeCategory.objects.filter(returnee=returnee).select_related("category")
    }
    added = sorted(set(wanted) - set(current))
    removed = sorted(
        code for code in set(current) - set(wanted) if code in by_code or not current[code].category.is_active
    )
    with transaction.atomic():
        if removed:
            ReturneeCategory.objects.filter(returnee=returnee, category__code__in=removed).delete()
        for code, result in wanted.items():
            reasons = _reason_payload(result)
            existing = current.get(code)
            if existing is None:
                ReturneeCategory.objects.create(
                    returnee=returnee,
                    category=by_code[code],
                    reasons=reasons,
                    rule_version=by_code[code].rule_version,
                )
            elif existing.reasons != reasons or existing.rule_version != by_code[code].rule_version:
                existing.reasons = reasons
                existing.rule_version = by_code[code].rule_version
                existing.save(update_fields=["reasons", "rule_version", "assigned_at"])
        if added or removed:
            CaseEvent.objects.create(
                returnee=returnee,
                at=timezone.now(),
                actor=actor if getattr(actor, "pk", None) else None,
                kind=CaseEventKind.CATEGORIES_CHANGED,
                version=returnee.version,
                data={"added": added, "removed": removed},
            )
    return bool(added or removed)


def prefetched(queryset: Iterable[Returnee]) -> Any:
    from django.db.models import QuerySet

    if isinstance(queryset, QuerySet):
        return queryset.select_related("household").prefetch_related(
            "documents", "skills__occupation", "qualifications", "needs", "household__members"
        )
    return queryset


def preview_condition(
    condition: dict[str, Any], *, category: Category | None = None, sample: int = PREVIEW_SAMPLE
) -> dict[str, Any]:
    """Try a rule on existing records before it is saved: how many match, gain and lose the category."""
    records = list(prefetched(Returnee.objects.order_by("-created_at"))[:sample])
    assigned: set[int] = set()
    if category is not None and category.pk:
        assigned = set(
            ReturneeCategory.objects.filter(
                category=category, returnee__in=[r.pk for r in records]
            ).values_list("returnee_id", flat=True)
        )
    today = timezone.localdate()
    matching = [r for r in records if rules.evaluate(condition, returnee_facts(r, today=today))]
    matching_ids = {r.pk for r in matching}
    return {
        "tried": len(records),
        "matching": len(matching),
        "gaining": len(matching_ids - assigned),
        "losing": len(assigned - matching_ids),
        "examples": [r.case_number for r in matching[:10]],
    }
