"""The rules of ``rules.py`` on arrays: one person against thousands of offers in a few milliseconds, and a
million people against all open offers in a background task. ``tests/test_matching.py`` holds the two to
the same scores on random people and offers.

Offers are blocked by place: a person is scored against the offers of their governorate and remote ones,
and against all of them only when ready to move anywhere; that is exactly the set ``rules.place_part``
admits, so blocking loses no candidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from awda.jobs import rules
from awda.jobs.enums import OPEN_TO_ALL_KINDS, Mobility

F = NDArray[np.float64]
I = NDArray[np.int64]  # noqa: E741
B = NDArray[np.bool_]

MOBILITY_CODE: dict[str, int] = {Mobility.DISTRICT: 0, Mobility.GOVERNORATE: 1, Mobility.ANYWHERE: 2}
_PROX = np.array(rules.PROXIMITY, dtype=np.float64)


class Vocabulary:
    """Stable integer positions for strings (skills, languages, categories, places)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, value: str) -> int:
        if value not in self.index:
            self.index[value] = len(self.index)
        return self.index[value]

    def get(self, value: str) -> int:
        return self.index.get(value, -1)

    def __len__(self) -> int:
        return len(self.index)


def _digits(code: str) -> list[int]:
    return [int(code[i]) if i < len(code) else -1 for i in range(4)]


def _bits(values: Sequence[frozenset[str]], vocabulary: Vocabulary, width: int) -> F:
    matrix = np.zeros((len(values), max(width, 1)), dtype=np.float64)
    for row, items in enumerate(values):
        for item in items:
            column = vocabulary.get(item)
            if column >= 0:
                matrix[row, column] = 1.0
    return matrix


@dataclass
class OfferArrays:
    keys: list[str]
    facts: list[rules.OfferFacts]
    open_to_all: B
    digits: I  # n × 4, -1 past the code's length
    length: I
    skills: F
    skills_asked: F
    education_min: I  # -1: no minimum
    languages: F
    languages_asked: F
    governorate: I
    district: I  # -1: anywhere in the governorate
    remote: B
    priority: F
    by_governorate: dict[int, I]
    remote_rows: I


class OfferIndex:
    """All open offers as arrays, with the vocabularies people are encoded against."""

    def __init__(self, offers: Sequence[tuple[str, rules.OfferFacts]]) -> None:
        self.skills, self.languages, self.categories, self.places = (
            Vocabulary(),
            Vocabulary(),
            Vocabulary(),
            Vocabulary(),
        )
        for _, o in offers:
            for s in o.skills:
                self.skills(s)
            for lang in o.languages:
                self.languages(lang)
            for c in o.priority:
                self.categories(c)
            self.places(o.governorate)
            if o.district:
                self.places(o.district)
        facts = [o for _, o in offers]
        n = len(facts)
        governorate = np.array([self.places.get(o.governorate) for o in facts], dtype=np.int64)
        remote = np.array([o.remote for o in facts], dtype=np.bool_)
        skills = _bits([o.skills for o in facts], self.skills, len(self.skills))
        languages = _bits([o.languages for o in facts], self.languages, len(self.languages))
        by_governorate: dict[int, I] = {}
        rows = np.arange(n, dtype=np.int64)
        for g in np.unique(governorate):
            by_governorate[int(g)] = rows[(governorate == g) | remote]
        self.arrays = OfferArrays(
            keys=[k for k, _ in offers],
            facts=facts,
            open_to_all=np.array([o.kind in OPEN_TO_ALL_KINDS for o in facts], dtype=np.bool_),
            digits=np.array([_digits(o.occupation) for o in facts], dtype=np.int64).reshape(n, 4),
            length=np.array([len(o.occupation) for o in facts], dtype=np.int64),
            skills=skills,
            skills_asked=skills.sum(axis=1),
            education_min=np.array(
                [-1 if o.education_min is None else o.education_min for o in facts], dtype=np.int64
            ),
            languages=languages,
            languages_asked=languages.sum(axis=1),
            governorate=governorate,
            district=np.array(
                [self.places.get(o.district) if o.district else -1 for o in facts], dtype=np.int64
            ),
            remote=remote,
            priority=_bits([o.priority for o in facts], self.categories, len(self.categories)),
            by_governorate=by_governorate,
            remote_rows=rows[remote],
        )

    def __len__(self) -> int:
        return len(self.arrays.keys)

    def candidate_rows(self, person: rules.PersonFacts) -> I:
        a = self.arrays
        if person.mobility == Mobility.ANYWHERE:
            return np.arange(len(a.keys), dtype=np.int64)
        g = self.places.get(person.governorate)
        return a.by_governorate.get(g, a.remote_rows)

    def scores(self, people: Sequence[rules.PersonFacts], rows: I) -> F:
        """Scores of ``people`` (m) against the offers at ``rows`` (n): m × n, -1 where no candidate."""
        a = self.arrays
        m, n = len(people), len(rows)
        if m == 0 or n == 0:
            return np.full((m, n), -1.0)
        digits, length = a.digits[rows], a.length[rows]
        k = max(1, max(len(p.occupations) for p in people))
        occupation = np.zeros((m, n))
        for slot in range(k):
            codes = [p.occupations[slot][0] if slot < len(p.occupations) else "" for p in people]
            years = [p.occupations[slot][1] if slot < len(p.occupations) else 0 for p in people]
            q = np.array([_digits(c) for c in codes], dtype=np.int64).reshape(m, 4)
            q_length = np.array([len(c) for c in codes], dtype=np.int64)
            same = np.ones((m, n), dtype=np.bool_)
            prefix = np.zeros((m, n), dtype=np.int64)
            for d in range(4):
                same &= (
                    (q[:, d, None] == digits[None, :, d]) & (q[:, d, None] >= 0) & (digits[None, :, d] >= 0)
                )
                prefix += same
            shortest = np.minimum(q_length[:, None], length[None, :])
            proximity = np.where((prefix == shortest) & (shortest > 0), 1.0, _PROX[prefix])
            factor = rules.EXPERIENCE_BASE + rules.EXPERIENCE_PER_YEAR * np.clip(
                np.array(years, dtype=np.float64), 0, rules.EXPERIENCE_YEARS_COUNTED
            )
            occupation = np.maximum(occupation, proximity * factor[:, None])

        person_skills = _bits([p.skills for p in people], self.skills, a.skills.shape[1])
        held = person_skills @ a.skills[rows].T
        asked = a.skills_asked[rows][None, :]
        skills = np.where(asked > 0, held / np.maximum(asked, 1), 1.0)

        education = np.array([-1 if p.education is None else p.education for p in people], dtype=np.int64)
        minimum = a.education_min[rows][None, :]
        e = education[:, None]
        education_part = np.where(
            minimum < 0,
            1.0,
            np.where(e < 0, rules.UNKNOWN, np.where(e >= minimum, 1.0, np.where(e == minimum - 1, 0.5, 0.0))),
        )

        governorate = np.array([self.places.get(p.governorate) for p in people], dtype=np.int64)[:, None]
        district = np.array([self.places.get(p.district) for p in people], dtype=np.int64)[:, None]
        mobility = np.array([MOBILITY_CODE.get(p.mobility, 1) for p in people], dtype=np.int64)[:, None]
        o_governorate, o_district = a.governorate[rows][None, :], a.district[rows][None, :]
        same_governorate = o_governorate == governorate
        place = np.where(
            a.remote[rows][None, :],
            1.0,
            np.where(
                ~same_governorate,
                np.where(mobility == 2, rules.PLACE_ELSEWHERE_MOVING, np.nan),
                np.where(
                    o_district < 0,
                    rules.PLACE_SAME_GOVERNORATE,
                    np.where(
                        o_district == district,
                        rules.PLACE_SAME_DISTRICT,
                        np.where(
                            mobility == 0, rules.PLACE_OTHER_DISTRICT_STAYING, rules.PLACE_SAME_GOVERNORATE
                        ),
                    ),
                ),
            ),
        )

        spoken = _bits([p.languages for p in people], self.languages, a.languages.shape[1])
        known = np.array([bool(p.languages) for p in people], dtype=np.bool_)[:, None]
        l_asked = a.languages_asked[rows][None, :]
        languages = np.where(
            l_asked > 0,
            np.where(known, (spoken @ a.languages[rows].T) / np.maximum(l_asked, 1), rules.UNKNOWN),
            1.0,
        )

        groups = _bits([p.categories for p in people], self.categories, a.priority.shape[1])
        priority = np.where((groups @ a.priority[rows].T) > 0, 1.0, 0.0)

        w = rules.WEIGHTS
        score = (
            w["occupation"] * occupation
            + w["skills"] * skills
            + w["education"] * education_part
            + w["place"] * place
            + w["languages"] * languages
            + w["priority"] * priority
        )
        excluded = np.isnan(place) | (~a.open_to_all[rows][None, :] & (occupation == 0.0) & (held == 0))
        return np.where(excluded, -1.0, np.round(score, 6))

    def top(self, person: rules.PersonFacts, limit: int) -> list[tuple[int, float]]:
        """The ``limit`` best offer rows for one person: (row, score), best first, ties by key."""
        rows = self.candidate_rows(person)
        scores = self.scores([person], rows)[0]
        return _best(rows, scores, limit, self.arrays.keys)

    def top_many(self, people: Sequence[rules.PersonFacts], limit: int) -> list[list[tuple[int, float]]]:
        """The best offers for each of many people, scored in blocks of people sharing a governorate."""
        out: list[list[tuple[int, float]]] = [[] for _ in people]
        blocks: dict[int | None, list[int]] = {}
        for i, p in enumerate(people):
            key = None if p.mobility == Mobility.ANYWHERE else self.places.get(p.governorate)
            blocks.setdefault(key, []).append(i)
        all_rows = np.arange(len(self), dtype=np.int64)
        for key, members in blocks.items():
            rows = all_rows if key is None else self.arrays.by_governorate.get(key, self.arrays.remote_rows)
            if len(rows) == 0:
                continue
            step = max(1, 2_000_000 // len(rows))
            for start in range(0, len(members), step):
                chunk = members[start : start + step]
                scores = self.scores([people[i] for i in chunk], rows)
                for j, i in enumerate(chunk):
                    out[i] = _best(rows, scores[j], limit, self.arrays.keys)
        return out


def _best(rows: I, scores: F, limit: int, keys: list[str]) -> list[tuple[int, float]]:
    valid = np.flatnonzero(scores >= 0)
    if len(valid) == 0:
        return []
    if len(valid) > limit:
        # Everything scoring at least the limit-th best, then the exact order (ties by key) among those.
        threshold = np.partition(scores[valid], len(valid) - limit)[len(valid) - limit]
        valid = valid[scores[valid] >= threshold]
    ranked = sorted(valid.tolist(), key=lambda j: (-scores[j], keys[rows[j]]))
    return [(int(rows[j]), float(scores[j])) for j in ranked[:limit]]
