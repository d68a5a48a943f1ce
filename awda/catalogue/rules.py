"""Eligibility for services, and the checks of a service's description, as pure rules without the ORM.

A service says who it is for (``Criteria``: age, sex, type of return, status abroad, vulnerabilities,
the registry's categories, employment, time since return) and where it reaches (``Coverage``: the whole
country, governorates, districts, urban or rural, or by phone and online). ``check`` tells for one
returnee whether they are eligible and, when not, every reason, each said in Arabic, Kurdish and
English. Unknown facts never make someone eligible for a restricted service: the reason then says the
fact was not recorded, so the case worker knows what to ask (the same three-valued choice as the
registry's categories).

Availability is kept apart from eligibility: a service that has not started, has ended, was withdrawn
or is full this month does not change who is eligible, only whether a referral can go there now.

``validate_document`` checks the flat description of a service that forms, the API, file imports and
the demo all produce, with every problem attached to its field and said in three languages; it refuses
contradictory criteria (a minimum age above the maximum, a registry category nobody meeting the other
criteria can be in), overlapping ones (a district listed beside its own governorate, a place beside
"the whole country") and services that reach nowhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final, Literal

from awda.registry import rules as registry_rules
from awda.registry.names import normalize_name, normalize_phone

LANGUAGES: Final = ("ar", "ckb", "en")
Texts = dict[str, str]
Kind = Literal["eligibility", "availability"]


def _t(ar: str, ckb: str, en: str) -> Texts:
    return {"ar": ar, "ckb": ckb, "en": en}


def _fill(template: Texts, **params: str | Texts) -> Texts:
    out: Texts = {}
    for lang in LANGUAGES:
        values = {k: v[lang] if isinstance(v, dict) else v for k, v in params.items()}
        out[lang] = template[lang].format(**values)
    return out


# --------------------------------------------------------------------------------------------------
# What a service asks, where it reaches, and who asks
# --------------------------------------------------------------------------------------------------

# The list criteria, each tested against one fact of the returnee; choices come from the registry's facts.
CHOICE_CRITERIA: Final = ("sexes", "return_types", "statuses_abroad", "employment_statuses")
LIST_CRITERIA: Final = (*CHOICE_CRITERIA, "vulnerabilities", "categories")
INT_CRITERIA: Final = ("min_age", "max_age", "min_months_since_return", "max_months_since_return")
_FACT_OF: Final = {
    "sexes": "sex",
    "return_types": "return_type",
    "statuses_abroad": "status_abroad",
    "employment_statuses": "employment_status",
    "vulnerabilities": "vulnerabilities",
}
FACT_OF: Final = _FACT_OF  # the registry fact each list criterion tests
AGE_RANGE: Final = (0, 130)
MONTHS_RANGE: Final = (0, 1200)


@dataclass(frozen=True)
class Criteria:
    """Who a service is for. An empty list or ``None`` is no restriction; a list means "any of these"."""

    min_age: int | None = None
    max_age: int | None = None
    sexes: frozenset[str] = frozenset()
    return_types: frozenset[str] = frozenset()
    statuses_abroad: frozenset[str] = frozenset()
    employment_statuses: frozenset[str] = frozenset()
    vulnerabilities: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    min_months_since_return: int | None = None
    max_months_since_return: int | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Criteria:
        return cls(
            min_age=data.get("min_age"),
            max_age=data.get("max_age"),
            sexes=frozenset(data.get("sexes") or ()),
            return_types=frozenset(data.get("return_types") or ()),
            statuses_abroad=frozenset(data.get("statuses_abroad") or ()),
            employment_statuses=frozenset(data.get("employment_statuses") or ()),
            vulnerabilities=frozenset(data.get("vulnerabilities") or ()),
            categories=frozenset(data.get("categories") or ()),
            min_months_since_return=data.get("min_months_since_return"),
            max_months_since_return=data.get("max_months_since_return"),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            **{name: getattr(self, name) for name in INT_CRITERIA},
            **{name: sorted(getattr(self, name)) for name in LIST_CRITERIA},
        }

    # Whether the service is open to every returnee; computed once, as ``check`` asks it for every service.
    is_open: bool = field(init=False, compare=False, repr=False, default=True)

    def __post_init__(self) -> None:
        is_open = not any(getattr(self, name) for name in LIST_CRITERIA) and all(
            getattr(self, name) is None for name in INT_CRITERIA
        )
        object.__setattr__(self, "is_open", is_open)


@dataclass(frozen=True)
class Coverage:
    """Where a service reaches. ``settlements`` empty means urban and rural alike."""

    nationwide: bool = False
    remote: bool = False
    governorates: frozenset[str] = frozenset()
    districts: frozenset[str] = frozenset()
    settlements: frozenset[str] = frozenset()

    def reaches(self, governorate: str | None, district: str | None) -> bool | None:
        """Whether the service reaches a place: True, False, or None when the place is not known enough."""
        if self.remote or self.nationwide:
            return True
        if governorate is None:
            return None
        if governorate in self.governorates:
            return True
        if district is None:
            # Only some districts are covered: it depends on a district nobody recorded.
            return None if any(d.startswith(governorate) for d in self.districts) else False
        return district in self.districts


@dataclass(frozen=True)
class Terms:
    """What eligibility reads of one service (``key`` identifies it to the caller)."""

    key: str
    criteria: Criteria = Criteria()
    coverage: Coverage = Coverage(nationwide=True)
    starts_on: date | None = None
    ends_on: date | None = None
    capacity: int | None = None
    load: int = 0
    active: bool = True


@dataclass(frozen=True)
class Person:
    """The facts of one returnee that services ask about (``None`` is not recorded)."""

    age: int | None = None
    sex: str | None = None
    return_type: str | None = None
    status_abroad: str | None = None
    employment_status: str | None = None
    months_since_return: int | None = None
    vulnerabilities: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    governorate: str | None = None
    district: str | None = None
    settlement: str | None = None

    @classmethod
    def from_facts(
        cls, facts: Mapping[str, Any], *, district: str | None, categories: Iterable[str]
    ) -> Person:
        """From the registry's categorisation facts, the district and the categories the returnee is in."""
        return cls(
            age=facts.get("age"),
            sex=facts.get("sex"),
            return_type=facts.get("return_type"),
            status_abroad=facts.get("status_abroad"),
            employment_status=facts.get("employment_status"),
            months_since_return=facts.get("months_since_return"),
            vulnerabilities=frozenset(facts.get("vulnerabilities") or ()),
            categories=frozenset(categories),
            governorate=facts.get("governorate") or None,
            district=district or None,
            settlement=facts.get("settlement") or None,
        )


# --------------------------------------------------------------------------------------------------
# Problems and their sentences
# --------------------------------------------------------------------------------------------------

# {A} the returnee's value, {V} the service's limit or list, {L} the label of the fact.
_SENTENCES: Final[Mapping[str, Texts]] = {
    "age_below": _t(
        "العمر {A}، والحد الأدنى {V}", "تەمەن {A}ە، کەمترین تەمەن {V}ە", "Age {A} is under the minimum of {V}"
    ),
    "age_above": _t(
        "العمر {A}، والحد الأعلى {V}", "تەمەن {A}ە، زۆرترین تەمەن {V}ە", "Age {A} is over the maximum of {V}"
    ),
    "months_below": _t(
        "مضى على العودة {A} شهرًا، والخدمة تبدأ بعد {V} شهرًا",
        "{A} مانگ بەسەر گەڕانەوەدا تێپەڕیوە، خزمەتگوزارییەکە دوای {V} مانگ دەست پێدەکات",
        "Returned {A} months ago; the service starts {V} months after return",
    ),
    "months_above": _t(
        "مضى على العودة {A} شهرًا، والخدمة لمن عاد خلال {V} شهرًا",
        "{A} مانگ بەسەر گەڕانەوەدا تێپەڕیوە، خزمەتگوزارییەکە بۆ ئەوانەیە لە ماوەی {V} مانگدا گەڕاونەتەوە",
        "Returned {A} months ago; the service is for returns within {V} months",
    ),
    "not_in_list": _t(
        "{L}: {A}؛ الخدمة لـ: {V}", "{L}: {A}؛ خزمەتگوزارییەکە بۆ: {V}", "{L}: {A}; the service is for: {V}"
    ),
    "none_of": _t("{L}: لا شيء من {V}", "{L}: هیچ کام لە {V}", "{L}: none of {V}"),
    "not_recorded": _t(
        "{L}: لا توجد بيانات، والخدمة تشترط ذلك",
        "{L}: زانیاری تۆمار نەکراوە، خزمەتگوزارییەکە پێویستی پێیەتی",
        "{L}: not recorded, and the service depends on it",
    ),
    "place": _t(
        "تُقدَّم الخدمة في {V}، لا في {A}",
        "خزمەتگوزارییەکە لە {V} پێشکەش دەکرێت، نەک لە {A}",
        "The service is offered in {V}, not in {A}",
    ),
    "nowhere": _t(
        "لا تُقدَّم الخدمة في أي مكان حاليًا",
        "خزمەتگوزارییەکە ئێستا لە هیچ شوێنێک پێشکەش ناکرێت",
        "The service is not offered anywhere at the moment",
    ),
    "place_unknown": _t(
        "مكان السكن غير مسجل بما يكفي، والخدمة تُقدَّم في {V}",
        "شوێنی نیشتەجێبوون بە تەواوی تۆمار نەکراوە، خزمەتگوزارییەکە لە {V} پێشکەش دەکرێت",
        "Where the returnee lives is not recorded precisely enough; the service is offered in {V}",
    ),
    "settlement": _t(
        "الخدمة للمناطق {V} فقط، والسكن {A}",
        "خزمەتگوزارییەکە تەنها بۆ ناوچەی {V}یە، شوێنی نیشتەجێبوون {A}یە",
        "The service is for {V} areas only; the returnee lives in {A}",
    ),
    "settlement_unknown": _t(
        "الخدمة للمناطق {V} فقط، ونوع منطقة السكن غير مسجل",
        "خزمەتگوزارییەکە تەنها بۆ ناوچەی {V}یە، جۆری شوێنی نیشتەجێبوون تۆمار نەکراوە",
        "The service is for {V} areas only; urban or rural is not recorded",
    ),
    "withdrawn": _t("الخدمة متوقفة", "خزمەتگوزارییەکە ڕاگیراوە", "The service is withdrawn"),
    "not_started": _t(
        "تبدأ الخدمة في {V}", "خزمەتگوزارییەکە لە {V} دەست پێدەکات", "The service starts on {V}"
    ),
    "ended": _t("انتهت الخدمة في {V}", "خزمەتگوزارییەکە لە {V} کۆتایی هات", "The service ended on {V}"),
    "full": _t(
        "لا أماكن شاغرة هذا الشهر ({A} من {V})",
        "ئەم مانگە شوێنی بەتاڵ نییە ({A} لە {V})",
        "No places left this month ({A} of {V} taken)",
    ),
}
_OR: Final = _t(" أو ", " یان ", " or ")
_COMMA: Final = _t("، ", "، ", ", ")

_AGE_LABEL: Final = registry_rules.FACTS["age"].label
_MONTHS_LABEL: Final = registry_rules.FACTS["months_since_return"].label
_CATEGORIES_LABEL: Final = _t("الفئات", "پۆلەکان", "Categories")
_PLACE_LABEL: Final = _t("مكان السكن", "شوێنی نیشتەجێبوون", "Place of residence")
_SETTLEMENT_LABEL: Final = registry_rules.FACTS["settlement"].label


def _same(text: str) -> Texts:
    return dict.fromkeys(LANGUAGES, text)


def _label_of(value: str, names: Mapping[str, Texts], fact: str | None) -> Texts:
    if fact is not None:
        choices = registry_rules.FACTS[fact].choices
        if value in choices:
            return dict(choices[value])
    return dict(names.get(value) or _same(value))


def _joined(values: Iterable[str], names: Mapping[str, Texts], fact: str | None) -> Texts:
    labels = [_label_of(value, names, fact) for value in sorted(values)]
    out: Texts = {}
    for lang in LANGUAGES:
        words = [label[lang] for label in labels]
        out[lang] = words[0] if len(words) == 1 else _COMMA[lang].join(words[:-1]) + _OR[lang] + words[-1]
    return out


@dataclass(frozen=True)
class Problem:
    """One reason a returnee is not eligible, or a service not available now.

    ``criterion`` names what failed (a criteria field, "place", "settlement" or "period"/"capacity");
    values stay codes until ``text`` turns them into a sentence, so a long list costs nothing to build.
    """

    kind: Kind
    code: str
    criterion: str
    actual: Any = None
    limit: Any = None

    def text(self, names: Mapping[str, Texts] | None = None) -> Texts:
        """The sentence in three languages; ``names`` gives the names of place and category codes."""
        names = names or {}
        template = _SENTENCES[self.code]
        if self.code in ("age_below", "age_above", "months_below", "months_above", "full"):
            return _fill(template, A=str(self.actual), V=str(self.limit))
        if self.code in ("not_started", "ended"):
            return _fill(template, V=self.limit.isoformat())
        if self.code in ("withdrawn", "nowhere"):
            return dict(template)
        if self.code in ("place", "place_unknown"):
            return _fill(
                template, V=_joined(self.limit, names, None), A=_label_of(self.actual or "", names, None)
            )
        if self.code in ("settlement", "settlement_unknown"):
            limit = _joined(self.limit, names, "settlement")
            actual = _label_of(self.actual or "", names, "settlement")
            actual["en"] = {"urban": "an urban area", "rural": "a rural area"}.get(
                self.actual or "", actual["en"]
            )
            return _fill(template, V=limit, A=actual)
        fact = _FACT_OF.get(self.criterion)
        label = (
            _CATEGORIES_LABEL
            if self.criterion == "categories"
            else _AGE_LABEL
            if self.criterion in ("min_age", "max_age")
            else _MONTHS_LABEL
            if "months" in self.criterion
            else registry_rules.FACTS[fact].label
            if fact
            else _same(self.criterion)
        )
        if self.code == "not_recorded":
            return _fill(template, L=label)
        limit = _joined(self.limit, names, fact)
        if self.code == "none_of":
            return _fill(template, L=label, V=limit)
        return _fill(template, L=label, A=_label_of(self.actual, names, fact), V=limit)


@dataclass(frozen=True)
class Verdict:
    key: str
    problems: tuple[Problem, ...] = ()

    @property
    def eligible(self) -> bool:
        return not any(p.kind == "eligibility" for p in self.problems)

    @property
    def available(self) -> bool:
        return not any(p.kind == "availability" for p in self.problems)

    @property
    def reasons(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.kind == "eligibility")


# --------------------------------------------------------------------------------------------------
# The check
# --------------------------------------------------------------------------------------------------


def _int_problems(c: Criteria, person: Person) -> list[Problem]:
    out: list[Problem] = []
    if c.min_age is not None or c.max_age is not None:
        if person.age is None:
            out.append(
                Problem("eligibility", "not_recorded", "min_age" if c.min_age is not None else "max_age")
            )
        elif c.min_age is not None and person.age < c.min_age:
            out.append(Problem("eligibility", "age_below", "min_age", person.age, c.min_age))
        elif c.max_age is not None and person.age > c.max_age:
            out.append(Problem("eligibility", "age_above", "max_age", person.age, c.max_age))
    if c.min_months_since_return is not None or c.max_months_since_return is not None:
        months = person.months_since_return
        which = (
            "min_months_since_return" if c.min_months_since_return is not None else "max_months_since_return"
        )
        if months is None:
            out.append(Problem("eligibility", "not_recorded", which))
        elif c.min_months_since_return is not None and months < c.min_months_since_return:
            out.append(
                Problem(
                    "eligibility",
                    "months_below",
                    "min_months_since_return",
                    months,
                    c.min_months_since_return,
                )
            )
        elif c.max_months_since_return is not None and months > c.max_months_since_return:
            out.append(
                Problem(
                    "eligibility",
                    "months_above",
                    "max_months_since_return",
                    months,
                    c.max_months_since_return,
                )
            )
    return out


def _list_problems(c: Criteria, person: Person) -> list[Problem]:
    out: list[Problem] = []
    for name in CHOICE_CRITERIA:
        wanted: frozenset[str] = getattr(c, name)
        if not wanted:
            continue
        actual = getattr(person, _FACT_OF[name])
        if actual is None:
            out.append(Problem("eligibility", "not_recorded", name, None, wanted))
        elif actual not in wanted:
            out.append(Problem("eligibility", "not_in_list", name, actual, wanted))
    if c.vulnerabilities and not c.vulnerabilities & person.vulnerabilities:
        out.append(Problem("eligibility", "none_of", "vulnerabilities", None, c.vulnerabilities))
    if c.categories and not c.categories & person.categories:
        out.append(Problem("eligibility", "none_of", "categories", None, c.categories))
    return out


def _place_problems(coverage: Coverage, person: Person) -> list[Problem]:
    if coverage.remote:
        return []
    out: list[Problem] = []
    reached = coverage.reaches(person.governorate, person.district)
    if reached is not True:
        places = coverage.governorates | coverage.districts
        code = "nowhere" if not places else "place_unknown" if reached is None else "place"
        out.append(Problem("eligibility", code, "place", person.district or person.governorate, places))
    if coverage.settlements:
        if person.settlement is None:
            out.append(Problem("eligibility", "settlement_unknown", "settlement", None, coverage.settlements))
        elif person.settlement not in coverage.settlements:
            out.append(
                Problem("eligibility", "settlement", "settlement", person.settlement, coverage.settlements)
            )
    return out


def _availability_problems(terms: Terms, today: date) -> list[Problem]:
    out: list[Problem] = []
    if not terms.active:
        out.append(Problem("availability", "withdrawn", "active"))
    if terms.starts_on is not None and today < terms.starts_on:
        out.append(Problem("availability", "not_started", "period", None, terms.starts_on))
    if terms.ends_on is not None and today > terms.ends_on:
        out.append(Problem("availability", "ended", "period", None, terms.ends_on))
    if terms.capacity is not None and terms.load >= terms.capacity:
        out.append(Problem("availability", "full", "capacity", terms.load, terms.capacity))
    return out


def check(terms: Terms, person: Person, today: date) -> Verdict:
    """Whether ``person`` is eligible for the service and whether it is available ``today``, with every reason."""
    c = terms.criteria
    problems = (
        (_int_problems(c, person) + _list_problems(c, person) if not c.is_open else [])
        + _place_problems(terms.coverage, person)
        + _availability_problems(terms, today)
    )
    return Verdict(terms.key, tuple(problems))


def check_all(services: Sequence[Terms], person: Person, today: date) -> list[Verdict]:
    """``check`` for every service, in the given order."""
    return [check(terms, person, today) for terms in services]


class EligibilityIndex:
    """Services grouped by where they reach, so that a returnee is checked only against those reaching them.

    Every other service fails on the place alone, so its verdict is left until someone asks for it
    (``Eligibility.verdict``): the eligible services of one returnee among 10,000 cost a few hundred
    checks instead of 10,000.
    """

    def __init__(self, services: Sequence[Terms]) -> None:
        self.services = list(services)
        self.by_key = {terms.key: terms for terms in self.services}
        self.everywhere: list[Terms] = []
        self.by_governorate: dict[str, list[Terms]] = {}
        self.by_district: dict[str, list[Terms]] = {}
        for terms in self.services:
            coverage = terms.coverage
            if coverage.remote or coverage.nationwide:
                self.everywhere.append(terms)
                continue
            for governorate in coverage.governorates:
                self.by_governorate.setdefault(governorate, []).append(terms)
            for district in coverage.districts:
                self.by_district.setdefault(district, []).append(terms)

    def reaching(self, person: Person) -> list[Terms]:
        """The services that reach where the person lives (each once)."""
        found = list(self.everywhere)
        if person.governorate is not None:
            found += self.by_governorate.get(person.governorate, [])
            if person.district is not None:
                found += self.by_district.get(person.district, [])
        return list({terms.key: terms for terms in found}.values())


@dataclass
class Eligibility:
    """One returnee's verdicts: computed for the services reaching them, on demand for the others."""

    index: EligibilityIndex
    person: Person
    today: date
    checked: dict[str, Verdict]

    @property
    def eligible(self) -> list[Verdict]:
        return [verdict for verdict in self.checked.values() if verdict.eligible]

    def verdict(self, key: str) -> Verdict:
        found = self.checked.get(key)
        if found is None:
            found = check(self.index.by_key[key], self.person, self.today)
        return found


def eligibility(index: EligibilityIndex, person: Person, today: date) -> Eligibility:
    """Which services ``person`` is eligible for, with the reasons for the others available on demand."""
    checked = {terms.key: check(terms, person, today) for terms in index.reaching(person)}
    return Eligibility(index, person, today, checked)


# --------------------------------------------------------------------------------------------------
# The flat description of a service, as forms, the API, imports and the demo give it
# --------------------------------------------------------------------------------------------------

TEXT_FIELDS: Final = ("name", "description", "how_to_access")
REQUIRED_TEXTS: Final = ("name", "description")
COSTS: Final = ("free", "subsidised", "paid")
SERVICE_LANGUAGES: Final = ("ar", "ckb", "kmr", "en", "tr", "syr")
SETTLEMENTS: Final = ("urban", "rural")
WEEKDAYS: Final = ("sat", "sun", "mon", "tue", "wed", "thu", "fri")
_CODE_RE: Final = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_TIME_RE: Final = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
_EMAIL_RE: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
MAX_TEXT: Final = {"name": 200, "description": 4000, "how_to_access": 2000}

# Every field of the flat document, in the order of forms and file columns.
FIELDS: Final = (
    "code",
    "organisation",
    "programme",
    "category",
    *(f"{name}_{lang}" for name in TEXT_FIELDS for lang in LANGUAGES),
    "cost",
    "languages",
    "nationwide",
    "remote",
    "governorates",
    "districts",
    "settlements",
    "min_age",
    "max_age",
    "sexes",
    "return_types",
    "statuses_abroad",
    "employment_statuses",
    "vulnerabilities",
    "categories",
    "min_months_since_return",
    "max_months_since_return",
    "capacity_per_month",
    "current_load",
    "phone",
    "email",
    "hours_days",
    "hours_opens",
    "hours_closes",
    "starts_on",
    "ends_on",
)
LIST_FIELDS: Final = frozenset(
    {"languages", "governorates", "districts", "settlements", "hours_days", *LIST_CRITERIA}
)
BOOL_FIELDS: Final = frozenset({"nationwide", "remote"})
INT_FIELDS: Final = frozenset({*INT_CRITERIA, "capacity_per_month", "current_load"})
DATE_FIELDS: Final = frozenset({"starts_on", "ends_on"})

_MESSAGES: Final[Mapping[str, Texts]] = {
    "required": _t("هذا الحقل مطلوب.", "ئەم خانەیە پێویستە.", "This field is required."),
    "too_long": _t(
        "النص أطول من {max} حرف.", "دەقەکە لە {max} پیت درێژترە.", "The text is longer than {max} characters."
    ),
    "bad_code": _t(
        "استخدم حروفًا لاتينية صغيرة وأرقامًا وشرطات فقط.",
        "تەنها پیتی لاتینیی بچووک و ژمارە و هێڵ بەکاربهێنە.",
        "Use lower-case Latin letters, digits and hyphens only.",
    ),
    "unknown": _t("قيمة غير معروفة: {value}.", "بەهای نەناسراو: {value}.", "Unknown value: {value}."),
    "unknown_organisation": _t(
        "لا توجد جهة بالرمز {value}.",
        "هیچ لایەنێک بە کۆدی {value} نییە.",
        "No organisation has the code {value}.",
    ),
    "unknown_programme": _t(
        "لا يوجد برنامج بالرمز {value} لهذه الجهة.",
        "هیچ بەرنامەیەک بە کۆدی {value} بۆ ئەم لایەنە نییە.",
        "This organisation has no programme with the code {value}.",
    ),
    "unknown_category": _t(
        "فئة خدمات غير معروفة: {value}.",
        "پۆلی خزمەتگوزاریی نەناسراو: {value}.",
        "Unknown service category: {value}.",
    ),
    "unknown_place": _t("مكان غير معروف: {value}.", "شوێنی نەناسراو: {value}.", "Unknown place: {value}."),
    "not_governorate": _t(
        "{value} ليست محافظة؛ ضعها في الأقضية.",
        "{value} پارێزگا نییە؛ لە قەزاکاندا دایبنێ.",
        "{value} is not a governorate; list it among the districts.",
    ),
    "not_district": _t(
        "{value} ليس قضاءً؛ ضعه في المحافظات.",
        "{value} قەزا نییە؛ لە پارێزگاکاندا دایبنێ.",
        "{value} is not a district; list it among the governorates.",
    ),
    "not_a_number": _t(
        "أدخل عددًا صحيحًا، لا {value}.",
        "ژمارەیەکی تەواو بنووسە، نەک {value}.",
        "Enter a whole number, not {value}.",
    ),
    "out_of_range": _t(
        "يجب أن تكون القيمة بين {min} و{max}.",
        "بەهاکە دەبێت لە نێوان {min} و {max} بێت.",
        "The value must be between {min} and {max}.",
    ),
    "not_a_bool": _t(
        "أدخل نعم أو لا، لا {value}.", "بەڵێ یان نەخێر بنووسە، نەک {value}.", "Enter yes or no, not {value}."
    ),
    "not_a_date": _t(
        "أدخل تاريخًا بصيغة YYYY-MM-DD، لا {value}.",
        "بەروارێک بە شێوەی YYYY-MM-DD بنووسە، نەک {value}.",
        "Enter a date as YYYY-MM-DD, not {value}.",
    ),
    "not_a_time": _t(
        "أدخل وقتًا مثل 08:30، لا {value}.",
        "کاتێک وەک 08:30 بنووسە، نەک {value}.",
        "Enter a time such as 08:30, not {value}.",
    ),
    "bad_phone": _t(
        "رقم هاتف غير صالح: {value}.",
        "ژمارەی تەلەفۆنی نادروست: {value}.",
        "Not a valid phone number: {value}.",
    ),
    "bad_email": _t(
        "بريد إلكتروني غير صالح: {value}.", "ئیمەیڵی نادروست: {value}.", "Not a valid email address: {value}."
    ),
    "min_above_max": _t(
        "الحد الأدنى ({min}) أكبر من الحد الأعلى ({max})؛ لن يستوفي أحد هذا الشرط.",
        "کەمترین ({min}) لە زۆرترین ({max}) گەورەترە؛ کەس ئەم مەرجە پڕ ناکاتەوە.",
        "The minimum ({min}) is above the maximum ({max}); nobody could meet this.",
    ),
    "ends_before_start": _t(
        "تاريخ الانتهاء قبل تاريخ البدء.",
        "بەرواری کۆتایی پێش بەرواری دەستپێکە.",
        "The end date is before the start date.",
    ),
    "closes_before_opens": _t(
        "وقت الإغلاق قبل وقت الفتح.",
        "کاتی داخستن پێش کاتی کردنەوەیە.",
        "The closing time is before the opening time.",
    ),
    "hours_incomplete": _t(
        "أدخل أيام الدوام ووقتي الفتح والإغلاق معًا، أو اتركها كلها فارغة.",
        "ڕۆژانی کار و کاتی کردنەوە و داخستن پێکەوە بنووسە، یان هەموویان بەتاڵ بهێڵەوە.",
        "Give the days and both the opening and closing times, or leave all three empty.",
    ),
    "no_coverage": _t(
        "لا تصل الخدمة إلى أي مكان: اختر محافظة أو قضاءً، أو كل البلد، أو عن بُعد.",
        "خزمەتگوزارییەکە ناگاتە هیچ شوێنێک: پارێزگا یان قەزایەک، یان هەموو وڵات، یان لە دوورەوە هەڵبژێرە.",
        "The service reaches nowhere: choose a governorate or district, the whole country, or by phone or online.",
    ),
    "nationwide_and_places": _t(
        "الخدمة تغطي كل البلد؛ لا تضف محافظات أو أقضية معها.",
        "خزمەتگوزارییەکە هەموو وڵات دەگرێتەوە؛ پارێزگا یان قەزا لەگەڵیدا زیاد مەکە.",
        "The service covers the whole country; do not list governorates or districts as well.",
    ),
    "district_in_governorate": _t(
        "القضاء {value} داخل محافظة مذكورة أصلًا ({governorate})؛ احذف أحدهما.",
        "قەزای {value} لەناو پارێزگایەکە کە پێشتر هاتووە ({governorate})؛ یەکێکیان لابە.",
        "The district {value} lies in a governorate already listed ({governorate}); remove one of them.",
    ),
    "same_in_vulnerability_and_category": _t(
        "«{value}» مذكورة في أوجه الهشاشة وفي الفئات معًا؛ اذكرها في موضع واحد.",
        "«{value}» لە بارودۆخە هەستیارەکان و لە پۆلەکاندا هاتووە؛ لە یەک شوێندا بینووسە.",
        "“{value}” is listed both as a vulnerability and as a category; keep it in one place.",
    ),
    "category_contradicts": _t(
        "لا يمكن لأحد يستوفي الشروط الأخرى أن يكون في الفئة «{value}» ({why}).",
        "هیچ کەسێک کە مەرجەکانی تر پڕ دەکاتەوە ناتوانێت لە پۆلی «{value}»دا بێت ({why}).",
        "Nobody who meets the other criteria can be in the category “{value}” ({why}).",
    ),
    "load_above_capacity": _t(
        "الأماكن المشغولة ({load}) أكثر من الأماكن الشهرية ({capacity}).",
        "شوێنە گیراوەکان ({load}) لە شوێنەکانی مانگانە ({capacity}) زیاترن.",
        "The places taken ({load}) are more than the places per month ({capacity}).",
    ),
}


@dataclass(frozen=True)
class Known:
    """The codes a document may name, from the database (the caller loads them once per request or file).

    ``place_names`` maps normalised names of places in any language, and their P-codes, to P-codes;
    ``district_governorate`` gives each district's governorate; ``category_conditions`` the registry's
    category rules (to find categories the other criteria exclude); ``programmes`` each programme's
    organisation.
    """

    organisations: frozenset[str]
    programmes: Mapping[str, str]
    service_categories: Mapping[str, str]  # normalised code or name → code
    governorates: frozenset[str]
    district_governorate: Mapping[str, str]
    place_names: Mapping[str, str]
    category_conditions: Mapping[str, Mapping[str, Any]]
    names: Mapping[str, Texts] = field(default_factory=dict)


@dataclass
class Checked:
    document: dict[str, Any]
    errors: dict[str, list[Texts]]

    @property
    def ok(self) -> bool:
        return not self.errors


def _message(code: str, **params: str | Texts) -> Texts:
    return _fill(_MESSAGES[code], **params) if params else dict(_MESSAGES[code])


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set | frozenset):
        items = [_as_text(v) for v in value]
    else:
        items = re.split(r"[;,،؛\n]", _as_text(value))
    return list(dict.fromkeys(item.strip() for item in items if item and item.strip()))


# Arabic-Indic and Persian (Kurdish keyboard) digits to ASCII.
_DIGITS: Final = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_TRUE: Final = frozenset({"1", "true", "yes", "y", "نعم", "بەڵێ", "x"})
_FALSE: Final = frozenset({"", "0", "false", "no", "n", "لا", "نەخێر"})


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _as_text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    return None


def _as_int(value: Any) -> int | str | None:
    """An int, None for empty, or the text itself when it is not a whole number (the caller reports it)."""
    if isinstance(value, bool):
        return _as_text(value)
    if isinstance(value, int):
        return value
    text = _as_text(value).translate(_DIGITS)
    if text == "":
        return None
    return int(text) if re.fullmatch(r"-?[0-9]{1,9}", text) else text


def _as_date(value: Any) -> str | tuple[str] | None:
    if isinstance(value, date):
        return value.isoformat()
    text = _as_text(value)
    if text == "":
        return None
    # A spreadsheet may add midnight to a date ("2026-01-31 00:00:00"); nothing else follows a date.
    text = text[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?", text) else text
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return (text,)


def validate_document(raw: Mapping[str, Any], known: Known) -> Checked:
    """Check and normalise a flat service description; every problem under its field, in three languages.

    Accepts values as JSON gives them (lists, numbers, booleans) and as a spreadsheet cell gives them
    (``"IQG08; IQG11"``, ``"yes"``, ``"12"``). Places may be P-codes or names in any of the three languages.
    The returned document is JSON with the same keys as ``FIELDS``.
    """
    errors: dict[str, list[Texts]] = {}
    doc: dict[str, Any] = {}

    def fail(name: str, code: str, **params: str | Texts) -> None:
        errors.setdefault(name, []).append(_message(code, **params))

    code = _as_text(raw.get("code")).lower()
    if not code:
        fail("code", "required")
    elif len(code) > 60 or not _CODE_RE.fullmatch(code):
        fail("code", "bad_code")
    doc["code"] = code

    organisation = _as_text(raw.get("organisation"))
    if not organisation:
        fail("organisation", "required")
    elif organisation not in known.organisations:
        fail("organisation", "unknown_organisation", value=organisation)
    doc["organisation"] = organisation

    programme = _as_text(raw.get("programme"))
    if programme and known.programmes.get(programme) != organisation:
        fail("programme", "unknown_programme", value=programme)
    doc["programme"] = programme

    category_text = _as_text(raw.get("category"))
    category = known.service_categories.get(normalize_name(category_text)) if category_text else None
    if not category_text:
        fail("category", "required")
    elif category is None:
        fail("category", "unknown_category", value=category_text)
    doc["category"] = category or category_text

    for name in TEXT_FIELDS:
        for lang in LANGUAGES:
            key = f"{name}_{lang}"
            text = _as_text(raw.get(key))
            if not text and name in REQUIRED_TEXTS:
                fail(key, "required")
            elif len(text) > MAX_TEXT[name]:
                fail(key, "too_long", max=str(MAX_TEXT[name]))
            doc[key] = text

    cost = _as_text(raw.get("cost")).lower() or "free"
    if cost not in COSTS:
        fail("cost", "unknown", value=cost)
    doc["cost"] = cost

    for name, allowed in (
        ("languages", SERVICE_LANGUAGES),
        ("settlements", SETTLEMENTS),
        ("hours_days", WEEKDAYS),
        ("vulnerabilities", tuple(registry_rules.FACTS["vulnerabilities"].choices)),
        *((n, tuple(registry_rules.FACTS[_FACT_OF[n]].choices)) for n in CHOICE_CRITERIA),
        ("categories", tuple(known.category_conditions)),
    ):
        values = [v if name == "categories" else v.lower() for v in _as_list(raw.get(name))]
        for value in values:
            if value not in allowed:
                fail(name, "unknown", value=value)
        # One canonical order, so that the same content compares equal: criteria (sets) sorted, the
        # others in the order of their choices (Saturday to Friday, Arabic first).
        kept = [v for v in allowed if v in values]
        doc[name] = sorted(kept) if name in LIST_CRITERIA else kept
    if set(doc["settlements"]) == set(SETTLEMENTS):
        doc["settlements"] = []  # urban and rural is everywhere: the same as no restriction

    for name in sorted(BOOL_FIELDS):
        flag = _as_bool(raw.get(name))
        if flag is None:
            fail(name, "not_a_bool", value=_as_text(raw.get(name)))
        doc[name] = bool(flag)

    _check_places(raw, known, doc, fail)

    for name in sorted(INT_FIELDS):
        number = _as_int(raw.get(name))
        if isinstance(number, str):
            fail(name, "not_a_number", value=number)
            number = None
        low, high = AGE_RANGE if "age" in name else MONTHS_RANGE if "months" in name else (0, 1_000_000)
        if number is not None and not low <= number <= high:
            fail(name, "out_of_range", min=str(low), max=str(high))
            number = None
        doc[name] = number
    doc["current_load"] = doc["current_load"] or 0
    for low_name, high_name in (
        ("min_age", "max_age"),
        ("min_months_since_return", "max_months_since_return"),
    ):
        low_value, high_value = doc[low_name], doc[high_name]
        if low_value is not None and high_value is not None and low_value > high_value:
            fail(low_name, "min_above_max", min=str(low_value), max=str(high_value))
    capacity = doc["capacity_per_month"]
    if capacity is not None and doc["current_load"] > capacity:
        fail("current_load", "load_above_capacity", load=str(doc["current_load"]), capacity=str(capacity))

    for name in ("vulnerabilities",):
        for value in set(doc[name]) & set(doc["categories"]):
            fail(
                "categories",
                "same_in_vulnerability_and_category",
                value=_label_of(value, known.names, "vulnerabilities"),
            )

    phone = _as_text(raw.get("phone"))
    if phone:
        normalised = normalize_phone(phone)
        if normalised is None:
            fail("phone", "bad_phone", value=phone)
        phone = normalised or phone
    doc["phone"] = phone
    email = _as_text(raw.get("email"))
    if email and not _EMAIL_RE.fullmatch(email):
        fail("email", "bad_email", value=email)
    doc["email"] = email

    times: dict[str, str] = {}
    for name in ("hours_opens", "hours_closes"):
        text = _as_text(raw.get(name))
        match = _TIME_RE.fullmatch(text)
        if text and match is None:
            fail(name, "not_a_time", value=text)
        times[name] = f"{int(match.group(1)):02d}:{match.group(2)}" if match else ""
        doc[name] = times[name] if match else text
    if bool(doc["hours_days"]) + bool(times["hours_opens"]) + bool(times["hours_closes"]) in (1, 2):
        if not {"hours_opens", "hours_closes", "hours_days"} & set(errors):
            fail("hours_days", "hours_incomplete")
    elif times["hours_opens"] and times["hours_closes"] and times["hours_closes"] <= times["hours_opens"]:
        fail("hours_closes", "closes_before_opens")

    for name in sorted(DATE_FIELDS):
        parsed = _as_date(raw.get(name))
        if isinstance(parsed, tuple):
            fail(name, "not_a_date", value=parsed[0])
            parsed = None
        doc[name] = parsed
    if doc["starts_on"] and doc["ends_on"] and doc["ends_on"] < doc["starts_on"]:
        fail("ends_on", "ends_before_start")

    if not any(key in errors for key in (*INT_CRITERIA, *LIST_CRITERIA)):
        _check_categories_reachable(doc, known, fail)
    return Checked({name: doc.get(name) for name in FIELDS}, errors)


def _check_places(
    raw: Mapping[str, Any], known: Known, doc: dict[str, Any], fail: Callable[..., None]
) -> None:
    for name, must_be_governorate in (("governorates", True), ("districts", False)):
        codes: list[str] = []
        for value in _as_list(raw.get(name)):
            pcode = known.place_names.get(normalize_name(value)) or (
                value.upper()
                if value.upper() in known.governorates or value.upper() in known.district_governorate
                else None
            )
            if pcode is None:
                fail(name, "unknown_place", value=value)
            elif must_be_governorate and pcode not in known.governorates:
                fail(name, "not_governorate", value=value)
            elif not must_be_governorate and pcode not in known.district_governorate:
                fail(name, "not_district", value=value)
            elif pcode not in codes:
                codes.append(pcode)
        doc[name] = sorted(codes)
    if doc["nationwide"] and (doc["governorates"] or doc["districts"]):
        fail("governorates", "nationwide_and_places")
    for district in doc["districts"]:
        governorate = known.district_governorate.get(district)
        if governorate is not None and governorate in doc["governorates"]:
            fail(
                "districts",
                "district_in_governorate",
                value=dict(known.names.get(district) or _same(district)),
                governorate=dict(known.names.get(governorate) or _same(governorate)),
            )
    # Places that were given but not understood are reported above; this is for a service given none.
    given = _as_list(raw.get("governorates")) or _as_list(raw.get("districts"))
    if not (doc["nationwide"] or doc["remote"] or given):
        fail("governorates", "no_coverage")


def criteria_condition(criteria: Criteria) -> dict[str, Any]:
    """The criteria in the registry's condition language (for its contradiction check)."""
    leaves: list[dict[str, Any]] = []
    for name, op in (("min_age", ">="), ("max_age", "<=")):
        if getattr(criteria, name) is not None:
            leaves.append({"fact": "age", "op": op, "value": getattr(criteria, name)})
    for name, op in (("min_months_since_return", ">="), ("max_months_since_return", "<=")):
        if getattr(criteria, name) is not None:
            leaves.append({"fact": "months_since_return", "op": op, "value": getattr(criteria, name)})
    for name in CHOICE_CRITERIA:
        values = sorted(getattr(criteria, name))
        if values:
            leaves.append({"fact": _FACT_OF[name], "op": "in", "value": values})
    if criteria.vulnerabilities:
        leaves.append(
            {"fact": "vulnerabilities", "op": "contains_any", "value": sorted(criteria.vulnerabilities)}
        )
    return {"all": leaves} if leaves else {}


def _check_categories_reachable(doc: dict[str, Any], known: Known, fail: Callable[..., None]) -> None:
    """A listed category whose own rule excludes everyone meeting the other criteria is a contradiction."""
    own = criteria_condition(Criteria.from_dict(doc))
    if not own or not doc["categories"]:
        return
    for code in doc["categories"]:
        condition = known.category_conditions.get(code)
        if not condition:
            continue
        conflicts = registry_rules.condition_conflicts({"all": [own, condition]})
        if conflicts:
            fact = registry_rules.FACTS[conflicts[0].fact].label
            fail(
                "categories",
                "category_contradicts",
                value=dict(known.names.get(code) or _same(code)),
                why=fact,
            )


def criteria_of(document: Mapping[str, Any]) -> dict[str, Any]:
    """The criteria part of a flat document, as stored on the service."""
    return Criteria.from_dict(document).to_dict()
