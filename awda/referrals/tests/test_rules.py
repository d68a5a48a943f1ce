"""The pure logic of referrals: deadlines in working days, months, the ranking of services with its
reasons, and the case-response rules (including the ones Awda ships)."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from awda.referrals import rules
from awda.referrals.loaders import default_rules
from awda.referrals.rules import Candidate, add_months, add_working_days, rank
from awda.registry.enums import NeedCategory

BAGHDAD = ZoneInfo("Asia/Baghdad")
# Letters that tell the two scripts apart: Sorani writes ک ی ە where Arabic writes ك ي ة, and has
# ێ ۆ ڵ ڕ that Arabic lacks.
ARABIC_ONLY = set("كيىة")
KURDISH_ONLY = set("کیەێۆڵڕ")


def at(day: str, time: str = "09:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{time}").replace(tzinfo=BAGHDAD)


# --------------------------------------------------------------------------------------------------
# Working days (Friday and Saturday off)
# --------------------------------------------------------------------------------------------------


def working_days_oracle(start: datetime, days: int) -> datetime:
    """Independent of the code under test: any seven days in a row hold exactly five working days, so
    whole weeks are jumped at once and only the last one to five days are walked, by ISO weekday."""
    if days == 0:
        return start
    weeks, rest = divmod(days - 1, 5)
    moment = start + timedelta(weeks=weeks)
    rest += 1
    while rest:
        moment += timedelta(days=1)
        if moment.isoweekday() not in (5, 6):  # ISO: Friday is 5, Saturday 6
            rest -= 1
    return moment


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # Sunday morning + 5: Monday … Thursday, then the weekend, then Sunday
        (at("2026-11-01"), 5, at("2026-11-08")),
        # Thursday afternoon + 1: over the weekend to Sunday, same time
        (at("2026-11-05", "14:30"), 1, at("2026-11-08", "14:30")),
        # Friday evening + 5: the count starts on Sunday and ends on Thursday evening
        (at("2026-11-06", "18:00"), 5, at("2026-11-12", "18:00")),
        # Saturday + 1: Sunday
        (at("2026-11-07", "10:00"), 1, at("2026-11-08", "10:00")),
        # Sunday + 10: two weeks later
        (at("2026-11-01"), 10, at("2026-11-15")),
        # zero days: the same moment, even on a Friday
        (at("2026-11-06", "18:00"), 0, at("2026-11-06", "18:00")),
        # across the new year
        (at("2026-12-31", "08:00"), 2, at("2027-01-04", "08:00")),
    ],
    ids=["weekday", "over-weekend", "from-friday", "from-saturday", "two-weeks", "zero", "new-year"],
)
def test_working_days_in_iraq(start: datetime, days: int, expected: datetime) -> None:
    result = add_working_days(start, days)
    assert (result, result.tzinfo) == (expected, BAGHDAD)


def test_another_weekend_can_be_given() -> None:
    # given a Saturday-Sunday weekend, a Friday + 1 is the Monday
    assert add_working_days(at("2026-11-06"), 1, weekend=(5, 6)) == at("2026-11-09")


def test_negative_days_and_a_week_without_working_days_are_refused() -> None:
    with pytest.raises(ValueError, match="days must not be negative"):
        add_working_days(at("2026-11-01"), -1)
    with pytest.raises(ValueError, match="a week needs a working day"):
        add_working_days(at("2026-11-01"), 1, weekend=range(7))


@given(
    start=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    days=st.integers(min_value=0, max_value=400),
)
def test_working_days_agree_with_the_oracle(start: datetime, days: int) -> None:
    moment = start.replace(tzinfo=BAGHDAD)
    result = add_working_days(moment, days)
    assert result == working_days_oracle(moment, days)
    assert result.time() == moment.time()
    if days:
        assert result.isoweekday() not in (5, 6)
        assert rules.working_days_between(moment.date(), result.date()) == days


# --------------------------------------------------------------------------------------------------
# Months
# --------------------------------------------------------------------------------------------------


def months_oracle(day: date, months: int) -> date:
    """Independent: count months from year 0, and ask the calendar module how long the month is."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # 31 January + 1: the end of February
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # … in a leap year
        (date(2000, 1, 31), 1, date(2000, 2, 29)),  # divisible by 400: leap
        (date(1900, 1, 31), 1, date(1900, 2, 28)),  # divisible by 100: not leap
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # 29 February + a year
        (date(2024, 2, 29), 48, date(2028, 2, 29)),  # … + four years
        (date(2025, 12, 15), 1, date(2026, 1, 15)),  # December rolls over into January
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 10, 31), 2, date(2025, 12, 31)),  # into December
        (date(2025, 10, 31), 1, date(2025, 11, 30)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # a plan's six months
        (date(2025, 8, 31), 60, date(2030, 8, 31)),  # … and five years
        (date(2025, 5, 20), 0, date(2025, 5, 20)),
    ],
)
def test_months(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    months=st.integers(min_value=-600, max_value=600),
)
def test_months_agree_with_the_oracle(day: date, months: int) -> None:
    result = add_months(day, months)
    assert result == months_oracle(day, months)
    assert result.year * 12 + result.month == day.year * 12 + day.month + months
    assert result.day == day.day or result.day == calendar.monthrange(result.year, result.month)[1]


# --------------------------------------------------------------------------------------------------
# Ranking
# --------------------------------------------------------------------------------------------------


def candidate(key: str, **overrides: object) -> Candidate:
    values: dict[str, object] = {"place": "district", "capacity": 10, "load": 0}
    values.update(overrides)
    return Candidate(key=key, **values)  # type: ignore[arg-type]


def test_nearer_is_better_district_governorate_country_remote() -> None:
    # given four services alike but for where they are, listed farthest first
    candidates = [candidate(p, place=p) for p in ("remote", "country", "governorate", "district")]

    # when ranked
    ranked = rank(candidates, [])

    # then the nearest comes first
    assert [(r.key, r.rank, r.parts["place"]) for r in ranked] == [
        ("district", 1, 1.0),
        ("governorate", 2, 0.8),
        ("country", 3, 0.6),
        ("remote", 4, 0.5),
    ]


def test_the_share_of_places_left_counts_and_an_unknown_capacity_is_one_half() -> None:
    ranked = rank(
        [
            candidate("full", capacity=5, load=5),
            candidate("over", capacity=5, load=7),
            candidate("zero", capacity=0, load=0),
            candidate("unknown", capacity=None, load=3),
            candidate("some", capacity=10, load=4),
            candidate("empty", capacity=8, load=0),
        ],
        [],
    )
    assert [(r.key, r.parts["capacity"]) for r in ranked] == [
        ("empty", 1.0),
        ("some", 0.6),
        ("unknown", 0.5),
        ("full", 0.0),
        ("over", 0.0),
        ("zero", 0.0),
    ]
    reasons = {r.key: r.reasons[1]["en"] for r in ranked}
    assert reasons == {
        "empty": "8 of 8 places left this month",
        "some": "6 of 10 places left this month",
        "unknown": "states no number of places",
        "full": "0 of 5 places left this month",
        "over": "0 of 5 places left this month",
        "zero": "0 of 0 places left this month",
    }


def test_a_service_reserved_for_the_persons_group_comes_first() -> None:
    ranked = rank(
        [
            candidate("for-others", targets=frozenset({"idp"})),
            candidate("open"),
            candidate("for-her", targets=frozenset({"female_head_of_household", "idp"})),
        ],
        ["female_head_of_household"],
    )
    assert [(r.key, r.parts["priority"]) for r in ranked] == [
        ("for-her", 1.0),
        ("for-others", 0.0),
        ("open", 0.0),
    ]
    assert ranked[0].reasons[2]["en"] == "reserved for a group the person belongs to"
    assert [len(r.reasons) for r in ranked] == [4, 3, 3]  # no priority reason where none applies


@pytest.mark.parametrize(
    ("completed", "closed", "rate", "reason"),
    [
        (0, 0, 1 / 2, "no past outcomes yet"),
        (1, 1, 2 / 3, "met the need in 1 of 1 past referrals"),
        (0, 1, 1 / 3, "met the need in 0 of 1 past referrals"),
        (3, 4, 4 / 6, "met the need in 3 of 4 past referrals"),
        (98, 100, 99 / 102, "met the need in 98 of 100 past referrals"),
    ],
)
def test_past_outcomes_by_laplaces_rule(completed: int, closed: int, rate: float, reason: str) -> None:
    (ranked,) = rank([candidate("s", completed=completed, closed=closed)], [])
    assert (ranked.parts["outcomes"], ranked.reasons[-1]["en"]) == (rate, reason)


def test_inconsistent_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="inconsistent counts for s"):
        rank([candidate("s", completed=3, closed=2)], [])
    with pytest.raises(ValueError, match="inconsistent counts for t"):
        rank([candidate("t", load=-1)], [])


def test_ties_keep_the_callers_order() -> None:
    keys = ["c", "a", "d", "b"]
    ranked = rank([candidate(k) for k in keys], [])
    assert [(r.key, r.rank) for r in ranked] == [("c", 1), ("a", 2), ("d", 3), ("b", 4)]
    assert len({r.score for r in ranked}) == 1
    assert [r.key for r in rank([candidate(k) for k in reversed(keys)], [])] == list(reversed(keys))


def test_a_worked_example_with_exact_scores_and_reasons() -> None:
    # given four services for a female head of household
    candidates = [
        # her district, 6 of 10 places left, reserved for her group, 3 of 4 past referrals met
        Candidate("A", "district", 10, 4, frozenset({"female_head_of_household"}), completed=3, closed=4),
        # her governorate, no stated capacity, no history
        Candidate("B", "governorate", None, 0),
        # at a distance, all 20 places left, reserved for others, 9 of 9 met
        Candidate("C", "remote", 20, 0, frozenset({"idp"}), completed=9, closed=9),
        # the whole country, full, 0 of 3 met
        Candidate("D", "country", 5, 5, completed=0, closed=3),
    ]

    # when ranked
    ranked = rank(candidates, ["female_head_of_household", "returned_from_europe"])

    # then 0.35·place + 0.25·capacity + 0.2·priority + 0.2·outcomes, rounded to six places:
    # A = .35 + .15 + .2 + .2·4/6; C = .175 + .25 + 0 + .2·10/11; B = .28 + .125 + 0 + .1; D = .21 + 0 + 0 + .04
    assert [(r.key, r.rank, r.score) for r in ranked] == [
        ("A", 1, 0.833333),
        ("C", 2, 0.606818),
        ("B", 3, 0.505),
        ("D", 4, 0.25),
    ]
    assert ranked[0].parts == {"place": 1.0, "capacity": 0.6, "priority": 1.0, "outcomes": 4 / 6}
    assert {r.key: [reason["en"] for reason in r.reasons] for r in ranked} == {
        "A": [
            "offered in the person's own district",
            "6 of 10 places left this month",
            "reserved for a group the person belongs to",
            "met the need in 3 of 4 past referrals",
        ],
        "C": [
            "offered at a distance (phone or online)",
            "20 of 20 places left this month",
            "met the need in 9 of 9 past referrals",
        ],
        "B": ["offered in the person's governorate", "states no number of places", "no past outcomes yet"],
        "D": [
            "offered across the country",
            "0 of 5 places left this month",
            "met the need in 0 of 3 past referrals",
        ],
    }


def test_every_reason_is_given_in_arabic_kurdish_and_english() -> None:
    # given services that between them produce every kind of reason
    candidates = [
        Candidate("A", "district", 10, 4, frozenset({"idp"}), completed=3, closed=4),
        Candidate("B", "governorate", None, 0),
        Candidate("C", "country", 20, 0),
        Candidate("D", "remote", 5, 5, completed=1, closed=2),
    ]

    # when ranked
    reasons = [reason for r in rank(candidates, ["idp"]) for reason in r.reasons]

    # then each reason has a text in each language, in the right script
    assert len(reasons) == 13
    for reason in reasons:
        assert set(reason) == {"ar", "ckb", "en"}
        assert all(text.strip() for text in reason.values())
        assert not set(reason["ar"]) & KURDISH_ONLY, reason["ar"]
        assert not set(reason["ckb"]) & ARABIC_ONLY, reason["ckb"]
    assert {r["ckb"] for r in reasons if r["en"] == "6 of 10 places left this month"} == {
        "6 شوێن لە 10 ماوە ئەم مانگە"
    }


def test_where_a_service_is() -> None:
    def place(**flags: bool) -> str:
        base = {"district_match": False, "governorate_match": False, "nationwide": False, "remote": False}
        return rules.place_of(**(base | flags))

    assert place(district_match=True, governorate_match=True, nationwide=True) == "district"
    assert place(governorate_match=True, remote=True) == "governorate"
    assert place(nationwide=True, remote=True) == "country"
    assert place(remote=True) == "remote"
    with pytest.raises(ValueError, match="does not reach the person"):
        place()


# --------------------------------------------------------------------------------------------------
# Case-response rules
# --------------------------------------------------------------------------------------------------

NEEDS = NeedCategory.values
GOOD_PROPOSAL = {
    "need": "documentation",
    "priority": "high",
    "urgency": "immediate",
    "dimension": "social",
    "horizon": "6m",
    "refer": True,
    "goal_ar": "استخراج البطاقة الوطنية",
    "goal_ckb": "دەرکردنی کارتی نیشتمانی",
    "goal_en": "Obtain the national card",
}
GOOD_CONDITION = {"fact": "missing_documents", "op": "is_true"}


def test_a_sound_rule_has_no_problems() -> None:
    assert rules.validate_rule(GOOD_CONDITION, [GOOD_PROPOSAL], need_categories=NEEDS) == []
    # priority and urgency may be left out
    short = {k: v for k, v in GOOD_PROPOSAL.items() if k not in ("priority", "urgency")}
    assert rules.validate_rule(GOOD_CONDITION, [short], need_categories=NEEDS) == []


def test_every_problem_of_a_rule_is_reported() -> None:
    problems = rules.validate_rule(
        {"fact": "shoe_size", "op": ">", "value": 3},
        [
            {
                "need": "spaceship",
                "dimension": "spiritual",
                "horizon": "1y",
                "priority": "urgent",
                "urgency": "now",
            },
            "not an object",
            {**GOOD_PROPOSAL, "goal_ckb": "  "},
        ],
        need_categories=NEEDS,
    )
    assert problems == [
        "condition: / Unknown fact “shoe_size”.",
        "proposes[0].need: unknown need 'spaceship'",
        "proposes[0].dimension: one of economic, social, psychosocial",
        "proposes[0].horizon: one of 6m, 2y, 5y",
        "proposes[0].goal_ar: the goal in every language",
        "proposes[0].goal_ckb: the goal in every language",
        "proposes[0].goal_en: the goal in every language",
        "proposes[0].priority: high, medium or low",
        "proposes[0].urgency: immediate, soon or routine",
        "proposes[1]: must be an object",
        "proposes[2].goal_ckb: the goal in every language",
    ]


@pytest.mark.parametrize("proposes", [None, [], {"need": "documentation"}, "documentation"])
def test_a_rule_must_propose_a_list_of_something(proposes: object) -> None:
    assert rules.validate_rule(GOOD_CONDITION, proposes, need_categories=NEEDS) == [
        "proposes: a list of at least one proposal is needed"
    ]


def test_a_condition_that_is_not_an_object_is_reported_with_the_proposals() -> None:
    assert rules.validate_rule("always", [], need_categories=NEEDS) == [
        "condition: / A condition must be an object, not “always”.",
        "proposes: a list of at least one proposal is needed",
    ]


def test_the_default_rules_are_all_valid() -> None:
    shipped = default_rules()
    assert [r["code"] for r in shipped] == [
        "documentation-first",
        "work-for-job-seekers",
        "debts-after-return",
        "psychosocial-support",
        "thinking-of-leaving-again",
    ]
    for rule in shipped:
        assert rules.validate_rule(rule["condition"], rule["proposes"], need_categories=NEEDS) == [], rule[
            "code"
        ]
        assert all(rule[f"name_{language}"].strip() for language in ("ar", "ckb", "en"))
        for item in rule["proposes"]:
            assert not set(item["goal_ar"]) & KURDISH_ONLY, item["goal_ar"]
            assert not set(item["goal_ckb"]) & ARABIC_ONLY, item["goal_ckb"]


def test_applicable_rules_in_their_order() -> None:
    shipped = [(r["code"], r["condition"]) for r in default_rules()]
    zainab = {
        "missing_documents": True,
        "employment_status": "unemployed_seeking",
        "has_debt": True,
        "sold_assets_to_migrate": True,
        "needs": ["documentation", "employment"],
        "intends_to_migrate_again": "no",
    }
    assert rules.applicable(shipped, zainab) == [
        "documentation-first",
        "work-for-job-seekers",
        "debts-after-return",
    ]
    # a debt without selling anything to leave is not enough; psychosocial needs and plans to leave are
    other = {
        "missing_documents": False,
        "employment_status": "employed",
        "has_debt": True,
        "sold_assets_to_migrate": False,
        "needs": ["psychosocial"],
        "intends_to_migrate_again": "yes",
    }
    assert rules.applicable(shipped, other) == ["psychosocial-support", "thinking-of-leaving-again"]
    # nothing recorded: nothing applies
    assert rules.applicable(shipped, {}) == []
    assert rules.applicable(list(reversed(shipped)), zainab) == [
        "debts-after-return",
        "work-for-job-seekers",
        "documentation-first",
    ]
