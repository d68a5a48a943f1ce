"""What a referral's receiver sees of the person: only the parts the sender chose and the person consented to."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from awda.referrals.models import Referral
from awda.registry.enums import SharedField
from awda.registry.models import Returnee


def _age(born: date | None, today: date) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def shared_record(referral: Referral, parts: frozenset[str]) -> dict[str, Any]:
    """The person as the receiver may see them, part by part, as codes and plain values (for the API)."""
    returnee: Returnee = referral.returnee
    today = timezone.localdate()
    out: dict[str, Any] = {"case_number": returnee.case_number}
    if SharedField.IDENTITY in parts:
        out["identity"] = {
            "full_name": returnee.full_name,
            "full_name_latin": returnee.full_name_latin,
            "known_as": returnee.known_as,
            "sex": returnee.sex,
            "age": _age(returnee.date_of_birth, today),
        }
    if SharedField.CONTACT in parts:
        out["contact"] = {"phones": [p.number for p in returnee.phones.all()], "address": returnee.address}
    if SharedField.PLACE in parts:
        out["place"] = {
            "governorate": returnee.governorate_id,
            "district": returnee.district_id,
            "sub_district": returnee.sub_district_id,
            "settlement": returnee.settlement,
        }
    if SharedField.RETURN in parts:
        out["return"] = {
            "return_date": returnee.return_date.isoformat() if returnee.return_date else None,
            "return_type": returnee.return_type,
            "country_returned_from": returnee.country_returned_from_id,
        }
    if SharedField.NEEDS in parts:
        out["needs"] = [
            {
                "category": n.category,
                "priority": n.priority,
                "urgency": n.urgency,
                "description": n.description,
            }
            for n in returnee.needs.all()
            if not n.is_interest
        ]
    if SharedField.DOCUMENTS in parts:
        out["documents"] = [{"type": d.type, "status": d.status} for d in returnee.documents.all()]
    if SharedField.HOUSEHOLD in parts:
        members = list(returnee.household.members.all()) if returnee.household_id else []  # type: ignore[union-attr]
        out["household"] = {
            "size": len(members) or 1,
            "members": [
                {"relationship": m.relationship, "sex": m.sex, "age": _age(m.date_of_birth, today)}
                for m in members
            ],
        }
    if SharedField.EDUCATION_WORK in parts:
        out["education_work"] = {
            "education_level": returnee.education_level,
            "employment_status": returnee.employment_status,
            "work_experience": returnee.work_experience,
            "occupations": [s.occupation_id for s in returnee.skills.all()],
            "qualifications": [q.title for q in returnee.qualifications.all()],
        }
    if SharedField.HEALTH in parts:
        out["health"] = {"notes": returnee.health_notes}
    if SharedField.PSYCHOSOCIAL in parts:
        out["psychosocial"] = {"notes": returnee.psychosocial_notes}
    return out


def shared_rows(referral: Referral, parts: frozenset[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The same, as labelled rows in the reader's language, for the referral page."""
    returnee: Returnee = referral.returnee
    today = timezone.localdate()
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    if SharedField.IDENTITY in parts:
        age = _age(returnee.date_of_birth, today)
        rows = [(_("Name"), returnee.full_name)]
        if returnee.full_name_latin:
            rows.append((_("Name in Latin letters"), returnee.full_name_latin))
        rows.append((_("Sex"), returnee.get_sex_display()))
        rows.append((_("Age"), str(age) if age is not None else _("Not recorded")))
        sections.append((str(SharedField.IDENTITY.label), rows))
    if SharedField.CONTACT in parts:
        phones = " · ".join(p.number for p in returnee.phones.all()) or _("None recorded.")
        sections.append(
            (str(SharedField.CONTACT.label), [(_("Phone"), phones), (_("Address"), returnee.address or "—")])
        )
    if SharedField.PLACE in parts:
        sections.append(
            (
                str(SharedField.PLACE.label),
                [
                    (_("Governorate"), returnee.governorate.name),
                    (_("District"), returnee.district.name),
                    (_("Urban or rural"), returnee.get_settlement_display()),
                ],
            )
        )
    if SharedField.RETURN in parts:
        sections.append(
            (
                str(SharedField.RETURN.label),
                [
                    (_("Return date"), returnee.return_date.isoformat() if returnee.return_date else "—"),
                    (_("Type of return"), returnee.get_return_type_display()),
                    (
                        _("Country returned from"),
                        returnee.country_returned_from.name if returnee.country_returned_from else "—",
                    ),
                ],
            )
        )
    if SharedField.NEEDS in parts:
        rows = [
            (n.get_category_display(), f"{n.get_priority_display()} · {n.get_urgency_display()}")
            for n in returnee.needs.all()
            if not n.is_interest
        ]
        sections.append((str(SharedField.NEEDS.label), rows or [(_("Needs"), _("None recorded."))]))
    if SharedField.DOCUMENTS in parts:
        rows = [(d.get_type_display(), d.get_status_display()) for d in returnee.documents.all()]
        sections.append((str(SharedField.DOCUMENTS.label), rows or [(_("Documents"), _("None recorded."))]))
    if SharedField.HOUSEHOLD in parts:
        members = list(returnee.household.members.all()) if returnee.household_id else []  # type: ignore[union-attr]
        rows = [(_("Household size"), str(len(members) or 1))]
        rows += [(m.get_relationship_display(), m.get_sex_display() or "—") for m in members]
        sections.append((str(SharedField.HOUSEHOLD.label), rows))
    if SharedField.EDUCATION_WORK in parts:
        rows = [
            (_("Education"), returnee.get_education_level_display() or "—"),
            (_("Employment status"), returnee.get_employment_status_display() or "—"),
        ]
        rows += [(_("Occupation"), s.occupation.name) for s in returnee.skills.select_related("occupation")]
        sections.append((str(SharedField.EDUCATION_WORK.label), rows))
    if SharedField.HEALTH in parts:
        sections.append((str(SharedField.HEALTH.label), [(_("Notes"), returnee.health_notes or "—")]))
    if SharedField.PSYCHOSOCIAL in parts:
        sections.append(
            (str(SharedField.PSYCHOSOCIAL.label), [(_("Notes"), returnee.psychosocial_notes or "—")])
        )
    return sections


def ltr_labels() -> frozenset[str]:
    """The labels whose values read left to right, in the reader's language."""
    return frozenset({str(_("Name in Latin letters")), str(_("Phone"))})
