"""A match's score explained in the reader's language: one line per part, with its points."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext as _

from awda.jobs import rules
from awda.jobs.models import SkillTerm
from awda.jobs.vocab import languages
from awda.registry.models import Occupation


@dataclass(frozen=True)
class Line:
    part: str
    label: str
    points: float  # weight × value, out of 100 for the whole score
    text: str


@cache
def _skill_terms() -> dict[str, SkillTerm]:
    """The skills vocabulary and ISCO-08 are reference data loaded by migrations: read once per process,
    not once per candidate (their names are still rendered in each reader's language)."""
    return {t.code: t for t in SkillTerm.objects.all()}


@cache
def _occupations() -> dict[str, Occupation]:
    return {o.code: o for o in Occupation.objects.all()}


def _skill_names(codes: frozenset[str]) -> str:
    terms = _skill_terms()
    return _(", ").join(sorted(str(terms[c]) for c in codes if c in terms))


def _language_names(codes: frozenset[str]) -> str:
    from awda.core.models import active_language

    language = active_language()
    names = {item["code"]: item.get(f"name_{language}") or item["name_en"] for item in languages()}
    return _(", ").join(names.get(c, c) for c in sorted(codes))


LABELS = {
    "occupation": lambda: _("Occupation"),
    "skills": lambda: _("Skills"),
    "education": lambda: _("Education"),
    "place": lambda: _("Place"),
    "languages": lambda: _("Languages"),
    "priority": lambda: _("Priority group"),
}


def explain(match: rules.Match, offer: rules.OfferFacts) -> list[Line]:
    """Why the score is what it is, part by part, for the case worker, the employer and the API."""
    lines = []
    for part, value in match.parts.items():
        points = round(rules.WEIGHTS[part] * value * 100, 1)
        if part == "occupation":
            if not match.occupation:
                text = _("No related occupation recorded.")
            else:
                occupation = _occupations().get(match.occupation)
                same = rules.occupation_proximity(match.occupation, offer.occupation)
                if same == 1.0:
                    text = _("Has worked as %(occupation)s: the occupation asked.")
                elif same >= rules.PROXIMITY[3]:
                    text = _(
                        "Has worked as %(occupation)s: a closely related occupation (same ISCO minor group)."
                    )
                elif same >= rules.PROXIMITY[2]:
                    text = _(
                        "Has worked as %(occupation)s: a related occupation (same ISCO sub-major group)."
                    )
                else:
                    text = _("Has worked as %(occupation)s: the same broad field (same ISCO major group).")
                text = text % {"occupation": str(occupation) if occupation else match.occupation}
        elif part == "skills":
            if not offer.skills:
                text = _("No particular skills asked.")
            else:
                text = _("Has %(n)d of the %(total)d skills asked.") % {
                    "n": len(match.skills_matched),
                    "total": len(offer.skills),
                }
                if match.skills_missing:
                    text += " " + _("Missing: %(skills)s.") % {"skills": _skill_names(match.skills_missing)}
        elif part == "education":
            if offer.education_min is None:
                text = _("No minimum education asked.")
            elif value == 1.0:
                text = _("Meets the education asked.")
            elif value == rules.UNKNOWN:
                text = _("Education not recorded, or one level below the minimum.")
            else:
                text = _("Below the education asked.")
        elif part == "place":
            if offer.remote:
                text = _("The work can be done remotely.")
            elif value == rules.PLACE_SAME_DISTRICT:
                text = _("Lives in the district of the work.")
            elif value == rules.PLACE_SAME_GOVERNORATE:
                text = _("Lives in the governorate of the work.")
            elif value == rules.PLACE_OTHER_DISTRICT_STAYING:
                text = _("Lives in another district and prefers to work in their own.")
            else:
                text = _("Lives in another governorate and is ready to move.")
        elif part == "languages":
            if not offer.languages:
                text = _("No particular language asked.")
            elif value == rules.UNKNOWN and not match.languages_missing:
                text = _("Languages spoken not recorded.")
            elif match.languages_missing:
                text = _("Does not speak: %(languages)s.") % {
                    "languages": _language_names(match.languages_missing)
                }
            else:
                text = _("Speaks the languages asked.")
        else:
            text = _("Belongs to a group the offer gives priority to.") if value else _("No priority group.")
        lines.append(Line(part=part, label=str(LABELS[part]()), points=points, text=text))
    return lines
