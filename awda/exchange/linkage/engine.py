"""The Splink (DuckDB) model behind Awda's linkage: comparisons, blocking, training, scoring, clusters."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias

import duckdb
import numpy as np
import pandas as pd

from .competition import outranked, rival_odds
from .features import feature_frame
from .settings import LinkageSettings

__all__ = [
    "COMPARISONS",
    "ComparisonExplanation",
    "LinkageResult",
    "LinkageSettings",
    "ProgressCallback",
    "ScoredPair",
    "dedupe_records",
    "link_records",
]

Records: TypeAlias = Iterable[Mapping[str, Any]] | pd.DataFrame
ProgressCallback = Callable[[str, int, int], None]
"""Called as ``progress(stage, done, total)``; stages run in the order of :data:`STAGES`."""

STAGES = ("features", "training", "scoring", "clustering")


# --------------------------------------------------------------------------------------------------
# Comparisons: each level is (key, label, SQL condition); the first level of each is its null level.


@dataclass(frozen=True)
class _Level:
    key: str
    label: str
    sql: str
    tf_column: str | None = None
    null: bool = False
    m_u: tuple[float, float] | None = None
    """Fixed m and u probabilities, for a level whose weight must not be estimated."""
    m: float | None = None
    """A fixed m probability (u still estimated): see _PRIOR_M."""


@dataclass(frozen=True)
class _Comparison:
    name: str
    label: str
    levels: tuple[_Level, ...]

    def as_splink(self, *, priors: bool = True) -> dict[str, Any]:
        levels = []
        for level in self.levels:
            item: dict[str, Any] = {"sql_condition": level.sql, "label_for_charts": level.key}
            if level.null:
                item["is_null_level"] = True
            prior = (
                level.m if level.m is not None else _PRIOR_M.get((self.name, level.key)) if priors else None
            )
            if prior is not None:
                item.update(m_probability=prior, fix_m_probability=True)
            if level.m_u:
                item.update(
                    m_probability=level.m_u[0],
                    u_probability=level.m_u[1],
                    fix_m_probability=True,
                    fix_u_probability=True,
                )
            if level.tf_column:
                item["tf_adjustment_column"] = level.tf_column
                item["tf_adjustment_weight"] = 1.0
            levels.append(item)
        return {
            "output_column_name": self.name,
            "comparison_description": self.label,
            "comparison_levels": levels,
        }

    def gamma_labels(self) -> dict[int, tuple[str, str]]:
        """Splink numbers levels top down from n-1 to 0 and gives the null level -1."""
        non_null = [lv for lv in self.levels if not lv.null]
        labels = {len(non_null) - 1 - i: (lv.key, lv.label) for i, lv in enumerate(non_null)}
        labels[-1] = ("missing", "missing")
        return labels


# Prior m probabilities for the levels where one person's two records disagree. EM cannot learn them:
# its "match" class also takes in siblings and cousins, who share every name but their own and their
# birth date, so it learns that a different given name or birth date is common among matches. These
# are what registrars' error rates allow (docs/decisions/0013); the u probabilities stay estimated.
_PRIOR_M = {
    # A person's own name is the one thing siblings and twins never share: a different given name
    # (not a spelling variant, typo or transliteration, which have their own levels) all but rules
    # out a match, and the review queue is where a nickname on one card is caught.
    ("given", "different"): 1e-6,
    ("given", "consonants"): 1e-5,
    # Cousins share the grandfather's name and, with their own, the given name: EM takes "father's
    # name different" (and "grandfather's different") for a common error among matches (2–4 %). One
    # person's father's name, spelling variants and typos aside, differs far more rarely.
    ("lineage", "grandfather_differs"): 0.005,
    ("lineage", "father_differs"): 0.005,
    # A full date is evidence: a digit mistyped or day and month swapped happen, another day of the
    # same or the next year (an age estimated afresh) is rarer, and a whole other date rarer still,
    # since estimated ages are registered with placeholder days (the "placeholder" levels, no cost).
    ("dob", "day_month_swapped"): 0.003,
    ("dob", "close"): 0.002,
    ("dob", "same_year"): 0.0003,
    ("dob", "year_apart"): 0.0003,
    ("dob", "different"): 0.0001,
}


# Romanisations vary (Hussein, Husain, Hosein); Arabic spellings of one name do not, once
# normalised, so a similar Arabic spelling is another name (حسن/حسين) and only counts across scripts.
_CROSS_SCRIPT = "({role}_script_l <> {role}_script_r OR {role}_script_l = 'l')"


def _one_slip(a: str, b: str) -> str:
    """SQL: two strings at most one edit apart (Damerau–Levenshtein ≤ 1), cheap tests first.

    One edit leaves the lengths within one, and for strings of three letters or more it leaves the
    first or the last letter in place; only pairs passing both pay for the edit distance, which is
    most of the cost of scoring a pair otherwise (ten million random pairs estimate u).
    """
    return (
        f"(abs(length({a}) - length({b})) <= 1"
        f" AND (left({a}, 1) = left({b}, 1) OR right({a}, 1) = right({b}, 1) OR least(length({a}), length({b})) <= 2)"
        f" AND damerau_levenshtein({a}, {b}) <= 1)"
    )


def _typo(role: str) -> str:
    """SQL: the two spellings are one slip of the keyboard apart.

    A short name with one letter replaced is another name (احمد/محمد, Ali/Adi); a letter dropped or
    added (ويد/وليد) or two neighbouring letters swapped (سحن/حسن: the same length, two positions
    differ) is a slip, and so is a letter replaced in a spelling that is rare in the data one letter
    from a common one (مممد for محمد): see _rare_typo. Identical spellings are earlier levels.
    """
    n_l, n_r = f"{role}_n_l", f"{role}_n_r"
    # hamming() needs equal lengths: the OR reaches it only for those.
    return (
        f"((least(length({n_l}), length({n_r})) >= 5 OR length({n_l}) <> length({n_r})"
        f" OR hamming({n_l}, {n_r}) = 2) AND {_one_slip(n_l, n_r)})"
    )


def _variant(role: str) -> str:
    """SQL: the two records' names in this position agree, allowing spelling, script and one typo."""
    return (
        f"({role}_strict_l = {role}_strict_r OR {role}_skel_l = {role}_skel_r"
        f" OR {_typo(role)} OR {_rare_typo(role)}"
        f" OR ({_CROSS_SCRIPT.format(role=role)} AND ({role}_xskel_l = {role}_xskel_r"
        f" OR jaro_winkler_similarity({role}_tr_l, {role}_tr_r) >= 0.88)))"
    )


def _name_part(role: str, label: str, *, tf: bool, extra: tuple[_Level, ...] = ()) -> _Comparison:
    return _Comparison(
        name=role,
        label=label,
        levels=(
            _Level("missing", "missing", f"{role}_n_l IS NULL OR {role}_n_r IS NULL", null=True),
            _Level(
                "same",
                "same name",
                f"{role}_strict_l = {role}_strict_r",
                tf_column=f"{role}_strict" if tf else None,
            ),
            # A Latin spelling rarely has the strict key of the Arabic one (Karim/كريم), so the
            # consonant key is good evidence across scripts or between two romanisations…
            _Level(
                "transliteration",
                "same name in another spelling",
                f"({role}_skel_l = {role}_skel_r OR {role}_xskel_l = {role}_xskel_r) AND {_CROSS_SCRIPT.format(role=role)}",
            ),
            # …but between two Arabic spellings it means different names (حسن/حسين, سعد/سعيد).
            _Level("consonants", "same consonants, other name", f"{role}_skel_l = {role}_skel_r"),
            _Level(
                "typo",
                "one letter apart",
                _typo(role),
            ),
            _Level(
                "similar",
                "similar spelling",
                f"{_CROSS_SCRIPT.format(role=role)} AND jaro_winkler_similarity({role}_tr_l, {role}_tr_r) >= 0.88",
            ),
            *extra,
            _Level("different", "different", "ELSE"),
        ),
    )


# Given and family names swapped (a register that writes the family name first, a form filled in
# the wrong boxes): the evidence of both names, counted once, in the given name's comparison; the
# family name's comparison gives it no weight rather than that of a different name.
_SWAPPED = "name_set_l = name_set_r"


# How often each spelling of a name word occurs in the data (both sides of a link, every position of
# the father's line): see _count_names.
_RARE_SPELLING_MAX = 2
_COMMON_RATIO = 10


def _rare_typo(role: str) -> str:
    """SQL: one spelling is rare in the data and one slip from a far more common one: a typo of it.

    Within a script the slip is one letter of the name, and the spellings are counted; across scripts
    it is one consonant of the skeleton (MOSTSFA for مصطفى, skeletons of three consonants or more),
    and the skeletons are counted, since every romanisation of a common name is rare on its own.
    """
    rare = "(least({c}_l, {c}_r) <= {most} AND greatest({c}_l, {c}_r) >= {ratio} * least({c}_l, {c}_r))"
    within = rare.format(c=f"{role}_count", most=_RARE_SPELLING_MAX, ratio=_COMMON_RATIO)
    across = rare.format(c=f"{role}_xcount", most=_RARE_SPELLING_MAX, ratio=_COMMON_RATIO)
    return (
        f"(({within} AND {_one_slip(f'{role}_n_l', f'{role}_n_r')})"
        f" OR ({across} AND {_CROSS_SCRIPT.format(role=role)}"
        f" AND least(length({role}_xskel_l), length({role}_xskel_r)) >= 3"
        f" AND {_one_slip(f'{role}_xskel_l', f'{role}_xskel_r')}))"
    )


_FAMILY_IN_OTHER = (
    "coalesce(contains(tail_skels_r, ' ' || family_skel_l || ' ')"
    " OR contains(tail_skels_l, ' ' || family_skel_r || ' '), false)"
)

COMPARISONS: tuple[_Comparison, ...] = (
    _name_part(
        "given",
        "given name",
        tf=True,
        extra=(
            _Level("swapped", "given and family names swapped", _SWAPPED),
            # A short name one letter from another is usually another name (احمد/محمد), but not when
            # one spelling is rare in the data and the other common: a slip of the keyboard on a
            # common name. Its m is fixed (EM sees too few such pairs to estimate it).
            _Level(
                "rare_typo", "one letter from a common name, in a rare spelling", _rare_typo("given"), m=0.001
            ),
        ),
    ),
    # Father's and grandfather's names are one comparison, not two: siblings and cousins share them
    # together, so the chance that two random records agree on both is far above the product of the
    # chances for each (the frequency of the pair, with its term-frequency adjustment, says it).
    _Comparison(
        name="lineage",
        label="father's and grandfather's names",
        levels=(
            _Level("missing", "missing", "father_n_l IS NULL OR father_n_r IS NULL", null=True),
            _Level(
                "same",
                "same father's and grandfather's names",
                "lineage_strict_l = lineage_strict_r",
                tf_column="lineage_strict",
            ),
            _Level(
                "variants",
                "same names, spelt differently",
                f"{_variant('father')} AND {_variant('grandfather')}",
            ),
            # Two-word names are too rare in a sample to estimate this level (u came out at the floor,
            # worth 13 bits): it is worth what one name's agreement is, about 5 bits.
            _Level(
                "father_only",
                "same father's name, grandfather's missing",
                f"(grandfather_n_l IS NULL OR grandfather_n_r IS NULL) AND {_variant('father')}",
                m_u=(0.03, 0.001),
            ),
            _Level(
                "grandfather_differs",
                "same father's name, other grandfather's name",
                _variant("father"),
            ),
            _Level(
                "father_differs",
                "other father's name, same grandfather's name",
                _variant("grandfather"),
            ),
            _Level("different", "different", "ELSE"),
        ),
    ),
    _Comparison(
        name="great_grandfather",
        label="great-grandfather's name",
        levels=(
            # A four-word name without a family name has its last word read as a great-grandfather's
            # name; when the other record has that word as its family name, it is the family name
            # (credited there as "family name among the other's names"), not another ancestor.
            _Level(
                "missing",
                "missing",
                "ggf_skel_l IS NULL OR ggf_skel_r IS NULL OR (ggf_skel_l <> ggf_skel_r"
                " AND ((family_skel_l IS NULL AND ggf_skel_l = family_skel_r)"
                " OR (family_skel_r IS NULL AND ggf_skel_r = family_skel_l)))",
                null=True,
            ),
            _Level("same", "same name", "ggf_skel_l = ggf_skel_r"),
            _Level("similar", "similar spelling", "jaro_winkler_similarity(ggf_tr_l, ggf_tr_r) >= 0.88"),
            _Level("different", "different", "ELSE"),
        ),
    ),
    _Comparison(
        name="family",
        label="family name",
        levels=(
            _Level(
                "missing",
                "missing",
                f"(family_skel_l IS NULL OR family_skel_r IS NULL) AND NOT {_FAMILY_IN_OTHER}",
                null=True,
            ),
            _Level("same", "same family name", "family_skel_l = family_skel_r", tf_column="family_skel"),
            _Level("in_name", "family name among the other's names", _FAMILY_IN_OTHER),
            _Level("transliteration", "same name in another script", "family_xskel_l = family_xskel_r"),
            _Level(
                "similar", "similar spelling", "jaro_winkler_similarity(family_tr_l, family_tr_r) >= 0.88"
            ),
            _Level("swapped", "given and family names swapped", _SWAPPED, m_u=(0.01, 0.01)),
            _Level("different", "different", "ELSE"),
        ),
    ),
    _Comparison(
        name="mother",
        label="mother's name",
        levels=(
            _Level("missing", "missing", "mother_skel_l IS NULL OR mother_skel_r IS NULL", null=True),
            _Level("same", "same name", "mother_strict_l = mother_strict_r", tf_column="mother_strict"),
            # As for the given name: one consonant key across scripts is one name (Shilan/شیلان), between
            # two Arabic spellings it is another name (سعاد/سعدية are not one, حسنة/حسينة neither).
            _Level(
                "transliteration",
                "same name in another spelling",
                f"(mother_skel_l = mother_skel_r OR mother_xskel_l = mother_xskel_r) AND {_CROSS_SCRIPT.format(role='mother')}",
            ),
            _Level("consonants", "same consonants, other name", "mother_skel_l = mother_skel_r"),
            _Level(
                "similar", "similar spelling", "jaro_winkler_similarity(mother_tr_l, mother_tr_r) >= 0.88"
            ),
            _Level("different", "different", "ELSE"),
        ),
    ),
    _Comparison(
        name="dob",
        label="date of birth",
        levels=(
            _Level("missing", "missing", "dob_year_l IS NULL OR dob_year_r IS NULL", null=True),
            # Placeholder dates and birth years heap (41 % of the development set's records are born in
            # 2008): their agreement is weighted by their frequency. A full date is not: a date seen
            # only in the pair itself reads as seen twice, which where dates outnumber records (FEBRL)
            # makes the rarest date look common.
            _Level("exact", "same date", "dob_l = dob_r AND NOT dob_placeholder_l"),
            _Level(
                "exact_placeholder",
                "same placeholder date (1 January or 1 July)",
                "dob_l = dob_r",
                tf_column="dob",
            ),
            _Level(
                "placeholder_same_year",
                "same year, one date a placeholder or year only",
                "dob_year_l = dob_year_r AND (dob_placeholder_l OR dob_placeholder_r)",
                tf_column="dob_year",
            ),
            _Level(
                "day_month_swapped",
                "day and month swapped",
                "dob_year_l = dob_year_r AND dob_month_l = dob_day_r AND dob_day_l = dob_month_r",
            ),
            _Level(
                "close",
                "same year and month, or one digit apart",
                "dob_l IS NOT NULL AND dob_r IS NOT NULL AND ((dob_year_l = dob_year_r AND dob_month_l = dob_month_r)"
                " OR hamming(dob_l, dob_r) = 1)",
            ),
            _Level("same_year", "same year, other day", "dob_year_l = dob_year_r"),
            _Level("year_apart", "one year apart", "abs(dob_year_l - dob_year_r) <= 1"),
            _Level("different", "different", "ELSE"),
        ),
    ),
    _Comparison(
        name="sex",
        label="sex",
        levels=(
            _Level("missing", "missing", "sex_l IS NULL OR sex_r IS NULL", null=True),
            _Level("same", "same", "sex_l = sex_r"),
            _Level("different", "different", "ELSE"),
        ),
    ),
    _Comparison(
        name="governorate",
        label="governorate",
        levels=(
            _Level("missing", "missing", "governorate_l IS NULL OR governorate_r IS NULL", null=True),
            _Level("same", "same", "governorate_l = governorate_r"),
            _Level("different", "different", "ELSE"),
        ),
    ),
    _Comparison(
        name="phone",
        label="phone",
        levels=(
            _Level("missing", "missing", "phone_l IS NULL OR phone_r IS NULL", null=True),
            _Level(
                "household",
                "same number, another year of birth (a family phone)",
                "phone_l = phone_r AND NOT dob_placeholder_l AND NOT dob_placeholder_r AND dob_year_l <> dob_year_r",
                m_u=(0.01, 0.01),
            ),
            _Level(
                "same",
                "same number",
                "phone_l = phone_r AND (given_skel_l = given_skel_r OR given_skel_l IS NULL OR given_skel_r IS NULL)",
            ),
            # Families share one phone: with different given names it says nothing about the person
            # (m = u, weight 0); random pairs would give it a weight that outvotes the names.
            _Level(
                "shared",
                "same number, other given name (a family phone)",
                "phone_l = phone_r",
                m_u=(0.01, 0.01),
            ),
            _Level("different", "different", "ELSE"),
        ),
    ),
    _Comparison(
        name="national_id",
        label="national ID",
        levels=(
            _Level("missing", "missing", "national_id_l IS NULL OR national_id_r IS NULL", null=True),
            _Level("same", "same number", "national_id_l = national_id_r"),
            _Level("typo", "one character apart", _one_slip("national_id_l", "national_id_r")),
            _Level("different", "different", "ELSE"),
        ),
    ),
)

# Candidate pairs: a pair is scored if it agrees on any of these. Each is tight enough for a million
# records a side, and together they survive one error in any single field.
BLOCKING_RULES: tuple[tuple[str, ...], ...] = (
    ("given_skel", "father_skel", "grandfather_skel"),
    ("given_skel", "dob"),
    # The same with Kurdish ە read as a vowel: a romanisation (Bakhtiyar Nawzad) has the consonants of
    # that reading (بەختیار نەوزاد), not of the Arabic keyboard's (بهختيار نهوزاد).
    ("given_xskel", "father_xskel", "grandfather_xskel"),
    ("given_xskel", "dob"),
    ("father_skel", "grandfather_skel", "dob_year"),
    # Given and family name in either order (name_set), with the year.
    ("name_set", "dob_year"),
    ("given_skel", "mother_skel", "dob_year"),
    # A family's phone: few records share one, and it survives a mistyped given name.
    ("phone",),
    ("national_id",),
    # A document number with one digit mistyped or two swapped keeps one of its ends.
    ("national_id_head",),
    ("national_id_tail",),
)

# Registers without fathers' names (FEBRL, most Western data) lose the three rules on the father's
# line; a person's two records there agree on little but the date when a name is misspelt, so the
# date alone is a block (about n²/25,000 pairs for n records a side spread over 70 years of births).
BLOCKING_RULES_WITHOUT_FATHERS: tuple[tuple[str, ...], ...] = (("dob",),)

# Rules that admit almost no false positives, to estimate how many pairs match at all.
_DETERMINISTIC_RULES = (
    "l.given_strict = r.given_strict AND l.father_strict = r.father_strict"
    " AND l.grandfather_strict = r.grandfather_strict AND l.dob = r.dob",
    "l.national_id = r.national_id",
)
_DETERMINISTIC_RECALL = 0.7

# EM sessions: each leaves out the fields it blocks on, so together they train every comparison.
# None blocks on the father's line alone: such a block is mostly siblings, and EM would learn
# "same family" instead of "same person". Same father and birth date leaves only twins to tell
# apart from the same person, and same given and father's name leaves father/son pairs.
_TRAINING_RULES: tuple[tuple[str, ...], ...] = (
    ("given_skel", "dob"),
    ("father_skel", "grandfather_skel", "dob"),
    ("given_skel", "father_skel", "grandfather_skel", "mother_skel"),
    # Registers without fathers' names (the last two sessions find no pairs there) still train the
    # given name and the date of birth through the family name.
    ("given_skel", "family_skel"),
    ("family_skel", "dob_year"),
)

# No level is proof: an m probability is kept at or above this, so that one disagreeing field (a
# sex entered wrong, a level EM never saw among matches) costs about ten bits, not all of them.
_M_FLOOR = 0.001
_U_FLOOR = 1e-7


# --------------------------------------------------------------------------------------------------
# Results


@dataclass(frozen=True)
class ComparisonExplanation:
    """One comparison's outcome for a pair: "given name: same name (+6.2)"."""

    comparison: str
    label: str
    level: str
    level_label: str
    match_weight: float


@dataclass(frozen=True)
class ScoredPair:
    """A scored pair of records; for a dedupe, ``left_id`` < ``right_id``."""

    left_id: str
    right_id: str
    match_probability: float
    match_weight: float
    explanation: tuple[ComparisonExplanation, ...]
    is_match: bool = False
    """At or above the match threshold and not outranked."""
    outranked_by: str | None = None
    """A better candidate for one of the two records that contradicts the other (see competition)."""
    outranked_on: str | None = None
    """The field of competition.CONTRADICTIONS on which that candidate and this pair's record differ."""


@dataclass
class LinkageResult:
    """Pairs at or above the review threshold, best first, and for a dedupe the clusters."""

    kind: Literal["link", "dedupe"]
    settings: LinkageSettings
    frame: pd.DataFrame
    """Columns left_id, right_id, match_probability, match_weight and per comparison gamma_/mw_; for a
    link also mw_candidates (the one-to-one weighing, in bits, included in match_weight) and rivals."""
    record_ids: tuple[str, ...] = ()
    model: dict[str, Any] = field(default_factory=dict)
    """The trained Splink model (settings and parameters), for auditing and reuse."""

    def _pairs(self, frame: pd.DataFrame) -> Iterator[ScoredPair]:
        labels = [c.gamma_labels() for c in COMPARISONS]
        gammas = [frame[f"gamma_{c.name}"].to_numpy() for c in COMPARISONS]
        weights = [frame[f"mw_{c.name}"].to_numpy() for c in COMPARISONS]
        tf_weights = [
            frame[f"mw_tf_adj_{c.name}"].to_numpy() if f"mw_tf_adj_{c.name}" in frame.columns else None
            for c in COMPARISONS
        ]
        matches = self._is_match(frame).to_numpy()
        candidates = frame["mw_candidates"].to_numpy() if "mw_candidates" in frame.columns else None
        rivals = frame["rivals"].to_numpy() if "rivals" in frame.columns else None
        by, on = frame["outranked_by"].to_numpy(), frame["outranked_on"].to_numpy()
        for i, (left, right, probability, weight) in enumerate(
            zip(
                frame["left_id"].to_numpy(),
                frame["right_id"].to_numpy(),
                frame["match_probability"].to_numpy(),
                frame["match_weight"].to_numpy(),
                strict=True,
            )
        ):
            parts = []
            for c, lab, g, w, tw in zip(COMPARISONS, labels, gammas, weights, tf_weights, strict=True):
                key, text = lab[int(g[i])]
                mw = float(w[i]) + (float(tw[i]) if tw is not None and not math.isnan(tw[i]) else 0.0)
                parts.append(ComparisonExplanation(c.name, c.label, key, text, round(mw, 2)))
            if candidates is not None and rivals is not None:
                key, text = CANDIDATE_LEVELS[bool(rivals[i])]
                parts.append(
                    ComparisonExplanation(
                        "candidates", "other candidates", key, text, round(float(candidates[i]), 2)
                    )
                )
            yield ScoredPair(
                str(left),
                str(right),
                float(probability),
                float(weight),
                tuple(parts),
                is_match=bool(matches[i]),
                outranked_by=None if pd.isna(by[i]) else str(by[i]),
                outranked_on=None if pd.isna(on[i]) else str(on[i]),
            )

    def pairs(self) -> list[ScoredPair]:
        """Every pair at or above the review threshold, best first."""
        return list(self._pairs(self.frame))

    def matches(self) -> list[ScoredPair]:
        """Pairs at or above the match threshold."""
        return list(self._pairs(self.matches_frame()))

    def for_review(self) -> list[ScoredPair]:
        """Pairs from the review threshold up to (not including) the match threshold, and the outranked."""
        return list(self._pairs(self.review_frame()))

    def _is_match(self, frame: pd.DataFrame) -> pd.Series:
        return (frame["match_probability"] >= self.settings.match_threshold) & frame["outranked_by"].isna()

    def matches_frame(self) -> pd.DataFrame:
        """Pairs at or above the match threshold, but for those outranked by a better candidate."""
        return self.frame[self._is_match(self.frame)]

    def review_frame(self) -> pd.DataFrame:
        """Pairs below the match threshold, and those above it outranked by a better candidate."""
        return self.frame[~self._is_match(self.frame)]

    def clusters(self) -> list[list[str]]:
        """Dedupe only: connected components of the matches; every record is in exactly one cluster.

        A cluster is its sorted record ids; clusters are ordered by their first id. A chain
        A=B, B=C puts A and C together even if A–C scored low: review large clusters.
        """
        if self.kind != "dedupe":
            raise ValueError("Clusters are only formed when deduplicating.")
        parent: dict[str, str] = {rid: rid for rid in self.record_ids}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        matches = self.matches_frame()
        for left, right in zip(matches["left_id"], matches["right_id"], strict=True):
            a, b = find(left), find(right)
            if a != b:
                parent[max(a, b)] = min(a, b)
        groups: dict[str, list[str]] = {}
        for rid in self.record_ids:
            groups.setdefault(find(rid), []).append(rid)
        return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


# --------------------------------------------------------------------------------------------------
# Running Splink


def _report(progress: ProgressCallback | None, stage: str, done: int, total: int) -> None:
    if progress is not None:
        progress(stage, done, total)


def _connection(settings: LinkageSettings) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    if settings.memory_limit:
        con.execute(f"SET memory_limit = '{settings.memory_limit}'")
    if settings.temp_directory:
        con.execute(f"SET temp_directory = '{settings.temp_directory}'")
    if settings.threads:
        con.execute(f"SET threads = {int(settings.threads)}")
    con.execute("SET preserve_insertion_order = false")
    return con


def _blocking_rules(families: bool) -> tuple[tuple[str, ...], ...]:
    return BLOCKING_RULES if families else BLOCKING_RULES + BLOCKING_RULES_WITHOUT_FATHERS


def _splink_settings(link_type: str, *, priors: bool = True, families: bool = True) -> Any:
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]
        unique_id_column_name="unique_id",
        comparisons=[c.as_splink(priors=priors) for c in COMPARISONS],
        blocking_rules_to_generate_predictions=[block_on(*cols) for cols in _blocking_rules(families)],
        retain_matching_columns=True,  # the gamma_ columns (levels) come only with them
        retain_intermediate_calculation_columns=True,
        em_convergence=0.001,
        max_iterations=20,
    )


def _sample(frame: pd.DataFrame, n: int, seed: int) -> pd.DataFrame:
    return frame if len(frame) <= n else frame.sample(n=n, random_state=seed)


_COUNTED_ROLES = ("given", "father", "grandfather")


def _count_names(frames: Sequence[pd.DataFrame]) -> None:
    """Add ``{role}_count`` and ``{role}_xcount`` for the given, father's and grandfather's names: how
    often the record's spelling (``_n``), and its skeleton across scripts (``_xskel``), occur across the
    frames in any of these positions (a father's name is a given name)."""
    if all(f"{role}_xcount" in f.columns for f in frames for role in _COUNTED_ROLES):
        return
    for suffix, column in (("n", "count"), ("xskel", "xcount")):
        counts = pd.concat(
            [f[f"{role}_{suffix}"] for f in frames for role in _COUNTED_ROLES], ignore_index=True
        ).value_counts()
        for f in frames:
            for role in _COUNTED_ROLES:
                f[f"{role}_{column}"] = f[f"{role}_{suffix}"].map(counts).fillna(0).astype("int64")


def _train(
    frames: Sequence[pd.DataFrame],
    link_type: str,
    settings: LinkageSettings,
    progress: ProgressCallback | None,
) -> dict[str, Any]:
    from splink import DuckDBAPI, Linker, block_on
    from splink.internals.exceptions import EMTrainingException

    _count_names(frames)
    steps = 3 + len(_TRAINING_RULES)
    if min(len(f) for f in frames) < MIN_TRAINING_RECORDS:
        _report(progress, "training", 1, 1)
        return _default_model(frames, link_type, settings)
    db = DuckDBAPI(_connection(settings))
    tables = [
        db.register(_sample(f, settings.training_sample, settings.seed + i), table_name=f"train_{i}")
        for i, f in enumerate(frames)
    ]
    inputs = tables if len(tables) > 1 else tables[0]
    families = _families(frames)
    linker = Linker(inputs, _splink_settings(link_type, priors=families, families=families), log_level=None)
    _report(progress, "training", 1, steps)
    try:
        linker.training.estimate_probability_two_random_records_match(
            list(_DETERMINISTIC_RULES), recall=_DETERMINISTIC_RECALL
        )
    except ValueError as error:
        # A handful of records can agree more often than the recall allows; Splink's prior stays.
        logging.getLogger(__name__).warning("Prior not estimated: %s", error)
    _report(progress, "training", 2, steps)
    linker.training.estimate_u_using_random_sampling(max_pairs=settings.u_max_pairs, seed=settings.seed)
    _report(progress, "training", 3, steps)
    for i, cols in enumerate(_TRAINING_RULES):
        # A failed session leaves the comparisons it had set aside out of the linker: start again
        # from the model as it was before the session.
        before = linker.misc.save_model_to_json()
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*cols), estimate_without_term_frequencies=True
            )
        except (ValueError, EMTrainingException) as error:
            linker = Linker(inputs, before, log_level=None)
            # Splink 5 refuses an m probability that EM drives to exactly 0 (a level no candidate
            # match shows in this block), and a block without pairs (a source without fathers'
            # names); the other sessions still train those comparisons.
            logging.getLogger(__name__).warning("EM session on %s skipped: %s", cols, error)
        _report(progress, "training", 4 + i, steps)
    model = _floored(_without_matches_in_u(linker.misc.save_model_to_json()))
    db.duckdb_con.close()
    return model


# The random pairs that estimate u include true matches, at the rate λ of the prior: a level's
# observed rate is λ·m + (1 − λ)·u. Negligible for two large registers (λ ≈ 3·10⁻⁵ on the development
# set), it is not when most records have a partner (FEBRL4: λ ≈ 2·10⁻⁴, so half the pairs sharing a
# date of birth in the sample are the same person, and the date's weight was 3 bits too low). The
# correction subtracts the matches' share; as a difference of two estimates it is noisy where they
# are close, so it divides u by this much at most.
_U_CORRECTION_MAX = 10.0


def _without_matches_in_u(model: dict[str, Any]) -> dict[str, Any]:
    lam = model.get("probability_two_random_records_match")
    if not isinstance(lam, float | int) or not 0 < lam < 1:
        return model
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            m, u = level.get("m_probability"), level.get("u_probability")
            if level.get("is_null_level") or level.get("fix_u_probability"):
                continue
            if not isinstance(m, float | int) or not isinstance(u, float | int) or u <= 0:
                continue
            level["u_probability"] = max((u - lam * m) / (1 - lam), u / _U_CORRECTION_MAX)
    return model


def _families(frames: Sequence[pd.DataFrame]) -> bool:
    """Do both sides name fathers for most people? Then siblings and cousins are among the candidate
    pairs and the priors of _PRIOR_M apply. Registers without fathers' names (FEBRL, most Western
    data) let EM estimate those levels too, as their given names differ by more than typos."""
    return all(f["father_n"].notna().mean() >= 0.5 for f in frames)


# Below this many records on a side, the data cannot estimate its own parameters: the run uses the
# defaults in default_parameters.json (estimated, without labels, on the synthetic development set
# by ``python -m awda.exchange.linkage.defaults``).
MIN_TRAINING_RECORDS = 1000
_DEFAULTS = Path(__file__).with_name("default_parameters.json")


def _default_model(
    frames: Sequence[pd.DataFrame], link_type: str, settings: LinkageSettings
) -> dict[str, Any]:
    from splink import DuckDBAPI, Linker

    db = DuckDBAPI(_connection(settings))
    tables = [db.register(f, table_name=f"small_{i}") for i, f in enumerate(frames)]
    linker = Linker(
        tables if len(tables) > 1 else tables[0],
        _splink_settings(link_type, families=_families(frames)),
        log_level=None,
    )
    model = linker.misc.save_model_to_json()
    db.duckdb_con.close()
    defaults = json.loads(_DEFAULTS.read_text(encoding="utf-8"))
    model["probability_two_random_records_match"] = _scaled_prior(
        defaults["prior"][link_type], defaults.get("sizes", {}).get(link_type), [len(f) for f in frames]
    )
    for comparison in model["comparisons"]:
        levels = defaults["levels"].get(comparison["output_column_name"], {})
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level") or level["label_for_charts"] not in levels:
                continue
            m, u = levels[level["label_for_charts"]]
            if not level.get("fix_m_probability"):
                level["m_probability"] = m
            if not level.get("fix_u_probability"):
                level["u_probability"] = u
    return _floored(model)


_PRIOR_MAX = 0.5


def _scaled_prior(prior: float, reference: Sequence[int] | None, sizes: Sequence[int]) -> float:
    """The default prior λ for a run of these sizes, from the λ estimated at the reference sizes.

    λ is a per-pair probability: for a link it is the share of the smaller side that has a partner
    divided by the larger side's size (a file of 500 people against a registry of a million has a
    two-thousand times smaller λ than against a registry of 500); for a dedupe, the duplicates per
    record divided by the other records. The share is what carries over from one run to another.
    """
    if not reference:
        return prior
    if len(sizes) == 2 and len(reference) == 2:
        scaled = prior * max(reference) / max(max(sizes), 1)
    else:
        scaled = prior * (reference[0] - 1) / max(sizes[0] - 1, 1)
    return min(scaled, _PRIOR_MAX)


def parameters_of(model: dict[str, Any]) -> dict[str, dict[str, list[float]]]:
    """The m and u probabilities of a trained model by comparison and level, as default_parameters.json keeps them."""
    return {
        comparison["output_column_name"]: {
            level["label_for_charts"]: [level["m_probability"], level["u_probability"]]
            for level in comparison["comparison_levels"]
            if not level.get("is_null_level")
        }
        for comparison in model["comparisons"]
    }


def _floored(model: dict[str, Any]) -> dict[str, Any]:
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            # Splink writes levels it never observed as a text marker instead of a number.
            if not level.get("fix_m_probability"):  # a prior is kept as set (_PRIOR_M)
                level["m_probability"] = max(m if isinstance(m, float | int) else 0.0, _M_FLOOR)
            level["u_probability"] = max(u if isinstance(u, float | int) else 0.0, _U_FLOOR)
    return model


def _chunks(n: int, per_chunk: int) -> int:
    return max(1, math.ceil(n / per_chunk))


def _score(
    frames: Sequence[pd.DataFrame],
    model: dict[str, Any],
    settings: LinkageSettings,
    progress: ProgressCallback | None,
    *,
    threshold: float | None = None,
) -> pd.DataFrame:
    from splink import DuckDBAPI, Linker

    _count_names(frames)
    db = DuckDBAPI(_connection(settings))
    tables = [db.register(f, table_name=f"records_{i}") for i, f in enumerate(frames)]
    linker = Linker(tables if len(tables) > 1 else tables[0], model, log_level=None)
    n_left = _chunks(len(frames[0]), settings.records_per_chunk)
    n_right = _chunks(len(frames[-1]), settings.records_per_chunk)
    total = n_left * n_right
    parts: list[pd.DataFrame] = []
    keep = ["unique_id_l", "unique_id_r", "source_dataset_l", "match_probability", "match_weight"]
    keep += [f"gamma_{c.name}" for c in COMPARISONS] + [f"mw_{c.name}" for c in COMPARISONS]
    done = 0
    _report(progress, "scoring", 0, total)
    for i in range(1, n_left + 1):
        for j in range(1, n_right + 1):
            chunk = linker.inference.predict_chunk(
                left_chunk=(i, n_left),
                right_chunk=(j, n_right),
                threshold_match_probability=settings.review_threshold if threshold is None else threshold,
                warning_mode="never",
            )
            rel = chunk.as_duckdbpyrelation()
            wanted = [c for c in rel.columns if c in keep or c.startswith("mw_tf_adj_")]
            columns = ", ".join(f'"{c}"' for c in wanted)
            parts.append(db.duckdb_con.execute(f"SELECT {columns} FROM {chunk.physical_name}").df())  # noqa: S608 (names from Splink's own table)
            chunk.drop_table_from_database_and_remove_from_cache()
            done += 1
            _report(progress, "scoring", done, total)
    db.duckdb_con.close()
    scored = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=keep)
    return scored


def _finish(scored: pd.DataFrame, *, swap: pd.Series | None) -> pd.DataFrame:
    left = scored["unique_id_l"].astype(str)
    right = scored["unique_id_r"].astype(str)
    if swap is not None:
        left, right = left.where(~swap, right), right.where(~swap, left)
    frame = scored.drop(columns=["unique_id_l", "unique_id_r", "source_dataset_l"], errors="ignore")
    frame.insert(0, "right_id", right.to_numpy())
    frame.insert(0, "left_id", left.to_numpy())
    frame = frame.sort_values(
        ["match_probability", "left_id", "right_id"], ascending=[False, True, True], kind="stable"
    )
    return frame.reset_index(drop=True)


def _features(
    records: Records, label: str, progress: ProgressCallback | None, step: int, total: int
) -> pd.DataFrame:
    frame = feature_frame(records)
    _report(progress, "features", step, total)
    if frame["unique_id"].duplicated().any():
        raise ValueError(f"The {label} records have duplicate record_id values.")
    return _compact(frame)


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Arrow strings: a fifth of the memory of Python objects (380 → 81 MiB for 200,000
    records), which DuckDB reads without copying. The frames live through training and scoring, so at a
    million records a side this is the difference between a 9 GB and a 6 GB run."""
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].astype("string[pyarrow]")
    return frame


def link_records(
    left: Records,
    right: Records,
    *,
    settings: LinkageSettings | None = None,
    progress: ProgressCallback | None = None,
) -> LinkageResult:
    """Score the pairs of a left and a right set of records that may be the same person.

    Records are mappings (or a DataFrame) with ``record_id`` and ``full_name`` and any of
    given_name, father_name, grandfather_name, family_name, mother_name, date_of_birth, sex,
    governorate, phone, national_id; other keys are ignored, missing ones count as empty.
    """
    settings = settings or LinkageSettings()
    _silence_splink()
    frames = [_features(left, "left", progress, 1, 2), _features(right, "right", progress, 2, 2)]
    frames[0]["source_dataset"] = "left"
    frames[1]["source_dataset"] = "right"
    if min(len(frames[0]), len(frames[1])) == 0:
        return LinkageResult("link", settings, _empty_frame())
    model = _train(frames, "link_only", settings, progress)
    shares = _matched_shares(model, len(frames[0]), len(frames[1]))
    scored = _score(frames, model, settings, progress, threshold=_scoring_floor(settings, shares))
    # Splink orients a pair by its own table order; put the left record first.
    swap = scored["source_dataset_l"].astype(str) != "left" if len(scored) else None
    frame = _one_to_one(_finish(scored, swap=swap), frames, shares, settings)
    frame = _compete(frame, frames, settings)
    return LinkageResult("link", settings, frame, model=model)


def dedupe_records(
    records: Records,
    *,
    settings: LinkageSettings | None = None,
    progress: ProgressCallback | None = None,
) -> LinkageResult:
    """Score the pairs within one set of records that may be the same person, and cluster them."""
    settings = settings or LinkageSettings()
    _silence_splink()
    frame = _features(records, "input", progress, 1, 1)
    ids = tuple(frame["unique_id"])
    if len(frame) < 2:
        return LinkageResult("dedupe", settings, _empty_frame(), record_ids=ids)
    model = _train([frame], "dedupe_only", settings, progress)
    scored = _score([frame], model, settings, progress)
    # Splink puts the lower id on the left already; make it so whatever the id type.
    swap = scored["unique_id_l"].astype(str) > scored["unique_id_r"].astype(str) if len(scored) else None
    pairs = _compete(_finish(scored, swap=swap), [frame], settings)
    result = LinkageResult("dedupe", settings, pairs, record_ids=ids, model=model)
    _report(progress, "clustering", 1, 1)
    return result


# One register holds a person once (its own duplicates aside), so the pairwise model's alternative to
# "l and r are one person" is too broad: if l and r have no other plausible candidates, that alternative
# is "l has no partner in the other register and r has none in l's", of prior (1 − π_l)(1 − π_r), where
# π is the share of a side's records that have a partner (λ times the other side's size). Candidates that
# are plainly other people than the pair's record (competition.rival_odds) add their odds to it. The
# shares are capped: λ is a rough estimate, and no run should gain more than two bits from it alone.
_MATCHED_SHARE_MAX = 0.5


def _matched_shares(model: dict[str, Any], n_left: int, n_right: int) -> tuple[float, float]:
    """π for the left and the right side: the expected share of its records with a partner on the other."""
    lam = model.get("probability_two_random_records_match")
    if not isinstance(lam, float | int) or not 0 < lam < 1:
        return (0.0, 0.0)
    return (min(lam * n_right, _MATCHED_SHARE_MAX), min(lam * n_left, _MATCHED_SHARE_MAX))


def _scoring_floor(settings: LinkageSettings, shares: tuple[float, float]) -> float:
    """The match probability down to which pairs are scored: where the largest one-to-one bonus could
    still lift a pair to the review threshold."""
    if settings.review_threshold >= 1:
        return 1.0
    odds = settings.review_threshold / (1 - settings.review_threshold) * (1 - shares[0]) * (1 - shares[1])
    return odds / (1 + odds)


CANDIDATE_LEVELS = {
    False: ("alone", "no other candidate is plainly another person"),
    True: ("rivals", "other candidates, plainly other people"),
}


def _one_to_one(
    frame: pd.DataFrame,
    features: Sequence[pd.DataFrame],
    shares: tuple[float, float],
    settings: LinkageSettings,
) -> pd.DataFrame:
    """Weigh each pair against the other candidates of its two records (mw_candidates, in bits) and keep
    the pairs at or above the review threshold, best first."""
    if not len(frame):
        return frame.assign(mw_candidates=pd.Series(dtype=float), rivals=pd.Series(dtype=bool))
    s_left, s_right = rival_odds(frame, features)
    adjustment = -np.log2((1 - shares[0] + s_left) * (1 - shares[1] + s_right))
    frame["mw_candidates"] = adjustment
    frame["rivals"] = (s_left + s_right) > 0
    weight = frame["match_weight"].to_numpy(dtype=float) + adjustment
    frame["match_weight"] = weight
    frame["match_probability"] = 1 / (1 + np.exp2(-weight))
    frame = frame[frame["match_probability"] >= settings.review_threshold]
    frame = frame.sort_values(
        ["match_probability", "left_id", "right_id"], ascending=[False, True, True], kind="stable"
    )
    return frame.reset_index(drop=True)


def _compete(
    frame: pd.DataFrame, features: Sequence[pd.DataFrame], settings: LinkageSettings
) -> pd.DataFrame:
    """Add outranked_by and outranked_on: see competition."""
    candidates = frame["match_probability"] >= settings.match_threshold
    frame["outranked_by"], frame["outranked_on"] = outranked(frame, features, candidates=candidates)
    return frame


def _empty_frame() -> pd.DataFrame:
    columns = ["left_id", "right_id", "match_probability", "match_weight", "outranked_by", "outranked_on"]
    columns += [f"gamma_{c.name}" for c in COMPARISONS] + [f"mw_{c.name}" for c in COMPARISONS]
    return pd.DataFrame(columns=columns)


def _silence_splink() -> None:
    # Splink logs every SQL step at INFO; a command or task reports progress through the callback.
    logging.getLogger("splink").setLevel(logging.ERROR)
