"""What the pages of the catalogue say about a service: where, when, for whom, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from awda.catalogue import enums, rules
from awda.catalogue.models import Organisation, Programme, Service, ServiceCategory
from awda.catalogue.queries import place_and_category_names, remembered
from awda.core.models import active_language
from awda.geo.models import District, Governorate
from awda.registry import rules as registry_rules


def coverage_text(service: Service) -> str:
    """ "The whole country", "by phone or online", or the places, in the reader's language."""
    if service.remote:
        return _("By phone or online, from anywhere")
    if service.nationwide:
        return _("The whole country")
    codes = getattr(service, "governorate_codes", None)
    if codes is None:
        codes = [g.pcode for g in service.governorates.all()] + [d.pcode for d in service.districts.all()]
    else:
        codes = codes + service.district_codes  # type: ignore[attr-defined]
    names = place_and_category_names()
    language = active_language()
    return _("; ").join(names[code][language] if code in names else code for code in codes)


def hours_text(service: Service) -> str:
    hours = service.hours or {}
    days = [label for value, label in enums.Weekday.choices if value in hours.get("days", [])]
    if not days:
        return ""
    return _("%(days)s, %(opens)s–%(closes)s") % {
        "days": _(", ").join(str(d) for d in days),
        "opens": hours.get("opens", ""),
        "closes": hours.get("closes", ""),
    }


def languages_text(codes: list[str]) -> str:
    labels = dict(enums.ServiceLanguage.choices)
    return _(", ").join(str(labels[c]) for c in codes if c in labels)


def who_for(service: Service) -> list[str]:
    """The eligibility criteria as sentences; empty when the service is open to every returnee."""
    criteria = rules.Criteria.from_dict(service.criteria or {})
    names = place_and_category_names()
    language = active_language()
    out: list[str] = []
    if criteria.min_age is not None and criteria.max_age is not None:
        out.append(_("Aged %(min)s to %(max)s") % {"min": criteria.min_age, "max": criteria.max_age})
    elif criteria.min_age is not None:
        out.append(_("Aged %(min)s or over") % {"min": criteria.min_age})
    elif criteria.max_age is not None:
        out.append(_("Aged %(max)s or under") % {"max": criteria.max_age})
    low, high = criteria.min_months_since_return, criteria.max_months_since_return
    if high is not None:
        out.append(_("Returned within the last %(months)s months") % {"months": high})
    if low is not None:
        out.append(_("Returned at least %(months)s months ago") % {"months": low})
    for name in (*rules.CHOICE_CRITERIA, "vulnerabilities"):
        values = sorted(getattr(criteria, name))
        if values:
            fact = registry_rules.FACTS[rules.FACT_OF[name]]
            labels = [fact.choices[v][language] if v in fact.choices else v for v in values]
            out.append(f"{fact.label[language]}: {_(', ').join(labels)}")
    if criteria.categories:
        labels = [names.get(code, {}).get(language, code) for code in sorted(criteria.categories)]
        out.append(_("Categories: %(names)s") % {"names": _(", ").join(labels)})
    if service.settlements:
        labels = [registry_rules.FACTS["settlement"].choices[s][language] for s in service.settlements]
        out.append(_("Areas: %(kinds)s") % {"kinds": _(", ").join(labels)})
    return out


def category_choices() -> list[tuple[ServiceCategory, list[ServiceCategory]]]:
    def load() -> list[tuple[ServiceCategory, list[ServiceCategory]]]:
        tops = list(ServiceCategory.objects.filter(parent__isnull=True, is_active=True).order_by("order"))
        subs: dict[int, list[ServiceCategory]] = {}
        for sub in ServiceCategory.objects.filter(parent__isnull=False, is_active=True).order_by("order"):
            assert sub.parent_id is not None
            subs.setdefault(sub.parent_id, []).append(sub)
        return [(top, subs.get(top.pk, [])) for top in tops]

    return list(remembered("categories", load))


def place_choices() -> list[tuple[Governorate, list[District]]]:
    def load() -> list[tuple[Governorate, list[District]]]:
        districts: dict[str, list[District]] = {}
        for district in District.objects.order_by("pcode"):
            districts.setdefault(district.governorate_id, []).append(district)
        return [(gov, districts.get(gov.pcode, [])) for gov in Governorate.objects.order_by("pcode")]

    return list(remembered("places", load))


def service_card(service: Service) -> dict[str, Any]:
    return {
        "service": service,
        "coverage": coverage_text(service),
        "hours": hours_text(service),
        "language_names": languages_text(list(service.languages or [])),
        "who_for": who_for(service),
        "cost": service.get_cost_display(),
    }


def value_names() -> dict[str, dict[str, str]]:
    """The names of providers, programmes and kinds of service by code, read once for a whole table."""
    return {
        "organisation": {
            o.code: o.name for o in Organisation.objects.only("code", "name_ar", "name_ckb", "name_en")
        },
        "programme": {
            p.code: p.name for p in Programme.objects.only("code", "name_ar", "name_ckb", "name_en")
        },
        "category": {item.code: item.name for top, subs in category_choices() for item in (top, *subs)},
    }


def shown_value(name: str, value: Any, names: dict[str, dict[str, str]]) -> str:
    """A value of a service document as a reader says it: names instead of codes, in their language.

    ``names`` is ``value_names()``, read once by the caller for all the values it shows.
    """
    language = active_language()
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if name in names:
        return names[name].get(value, str(value))
    if name == "cost":
        return str(dict(enums.Cost.choices).get(value, value))
    if name == "languages":
        return languages_text(list(value))
    if name == "hours_days":
        days = dict(enums.Weekday.choices)
        return _(", ").join(str(days.get(v, v)) for v in value)
    if name in ("governorates", "districts", "categories"):
        names = place_and_category_names()
        return _(", ").join(names[v][language] if v in names else str(v) for v in value)
    fact = rules.FACT_OF.get(name) or ("settlement" if name == "settlements" else None)
    if fact is not None:
        choices = registry_rules.FACTS[fact].choices
        return _(", ").join(choices[v][language] if v in choices else str(v) for v in value)
    return str(value)
