"""One record is one person: of two candidates for it that are plainly two people, only the better matches.

Pairwise scores judge each pair alone. A record of one register often has two candidates in the other
that both score high: its own record and a namesake's (same three-part name and mother's name, another
date of birth), or its own two records when that register holds the person twice. The second case is a
true double match; the first is not, and the two candidates tell which: records that contradict each
other on a person's own name, a full date of birth, the family name, the mother's name or a document
number are two people, so the record matches at most one of them. The weaker pair then goes to review
with the reason instead of being linked; two candidates that do not contradict each other both stay
matches.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz.distance import OSA

__all__ = ["CONTRADICTIONS", "contradiction", "outranked", "rival_odds"]

CONTRADICTIONS = ("given", "dob", "family", "mother", "national_id")
"""The fields on which two records of one register can contradict each other, in the order they are read."""

# The feature columns (features.feature_frame) the contradictions read.
COLUMNS = (
    "given_n",
    "given_skel",
    "given_xskel",
    "dob",
    "dob_month",
    "dob_day",
    "dob_placeholder",
    "family_skel",
    "family_xskel",
    "family_tr",
    "mother_skel",
    "mother_xskel",
    "mother_tr",
    "national_id",
)


def _present(value: Any) -> bool:
    return value is not None and not pd.isna(value)


def _far(a: Any, b: Any) -> bool:
    """More than one slip of the keyboard apart (a letter dropped, added or replaced, two swapped)."""
    return bool(OSA.distance(str(a), str(b), score_cutoff=2) > 1)


def _names_differ(a: Mapping[str, Any], b: Mapping[str, Any], role: str, spelling: str, given: str) -> bool:
    """Both records name this person's ``role`` (column ``given`` filled), by keys that differ in either
    script's reading and by spellings more than one slip apart (``spelling``, compared letter by letter)."""
    skel, xskel = f"{role}_skel", f"{role}_xskel"
    return (
        _present(a[given])
        and _present(b[given])
        and a[skel] != b[skel]
        and a[xskel] != b[xskel]
        and _far(a[spelling], b[spelling])
    )


def contradiction(a: Mapping[str, Any], b: Mapping[str, Any]) -> str | None:
    """The first of CONTRADICTIONS on which two records of one register are plainly two people, or None.

    Spellings one slip apart, a placeholder or missing date, and day and month swapped are not
    contradictions: one person's two records differ that way.
    """
    if _names_differ(a, b, "given", "given_n", given="given_n"):
        return "given"
    if (
        all(
            _present(r["dob"]) and _present(r["dob_placeholder"]) and not r["dob_placeholder"] for r in (a, b)
        )
        and a["dob"] != b["dob"]
        and not (a["dob_month"] == b["dob_day"] and a["dob_day"] == b["dob_month"])
    ):
        return "dob"
    if _names_differ(a, b, "family", "family_tr", given="family_skel"):
        return "family"
    if _names_differ(a, b, "mother", "mother_tr", given="mother_skel"):
        return "mother"
    if all(_present(r["national_id"]) for r in (a, b)) and _far(a["national_id"], b["national_id"]):
        return "national_id"
    return None


def outranked(
    pairs: pd.DataFrame,
    features: Sequence[pd.DataFrame],
    *,
    candidates: pd.Series,
) -> tuple[pd.Series, pd.Series]:
    """For each pair, the better candidate that contradicts its partner, and the field it contradicts on.

    ``pairs`` has left_id, right_id and match_weight; ``features`` is the left and the right feature
    frames (one frame for a dedupe, where both ids are in it); ``candidates`` marks the pairs to check
    (those that would otherwise match). From the left record's side, a pair (l, r) is outranked when l's
    best-scoring partner r* is not r and r* and r contradict each other; likewise from the right side.
    Returns two Series aligned with ``pairs`` (None where not outranked).
    """
    by: list[str | None] = [None] * len(pairs)
    on: list[str | None] = [None] * len(pairs)
    left_features, right_features = features[0], features[-1]
    # From the left record's view its candidates are right records, and the other way round.
    views = (("left_id", "right_id", right_features), ("right_id", "left_id", left_features))
    ranked = pairs.sort_values(["match_weight", "left_id", "right_id"], ascending=[False, True, True])
    for own, other, other_features in views:
        best = ranked.groupby(own, sort=False)[other].first()
        best_of = pairs[own].map(best)
        check = candidates.to_numpy() & (best_of != pairs[other]).to_numpy()
        if not check.any():
            continue
        positions = check.nonzero()[0]
        wanted = set(best_of.to_numpy()[positions]) | set(pairs[other].to_numpy()[positions])
        chosen = other_features[other_features["unique_id"].isin(wanted)]
        records = chosen.set_index("unique_id")[list(COLUMNS)].to_dict("index")
        for i, better, partner in zip(
            positions, best_of.to_numpy()[positions], pairs[other].to_numpy()[positions], strict=True
        ):
            if by[i] is not None:
                continue
            field = contradiction(records[better], records[partner])
            if field is not None:
                by[i], on[i] = str(better), field
    return pd.Series(by, index=pairs.index, dtype=object), pd.Series(on, index=pairs.index, dtype=object)


def rival_odds(pairs: pd.DataFrame, features: Sequence[pd.DataFrame]) -> tuple[np.ndarray, np.ndarray]:
    """For each pair (l, r), the summed match odds of l's other candidates that are plainly other people
    than r, and of r's other candidates that are plainly other people than l.

    ``pairs`` has left_id, right_id and match_weight (log2 of the match odds, prior included);
    ``features`` as for :func:`outranked`. A candidate that does not contradict the pair's record may be
    that record's duplicate in its own register, and is no rival: both can be the same person.
    """
    weights = np.minimum(pairs["match_weight"].to_numpy(dtype=float), 60.0)
    odds = np.exp2(weights)
    sums: list[np.ndarray] = []
    left_features, right_features = features[0], features[-1]
    for own, other, other_features in (
        ("left_id", "right_id", right_features),
        ("right_id", "left_id", left_features),
    ):
        total = np.zeros(len(pairs))
        frame = pd.DataFrame(
            {
                "i": np.arange(len(pairs)),
                "own": pairs[own].to_numpy(),
                "other": pairs[other].to_numpy(),
                "odds": odds,
            }
        )
        shared = frame[frame["own"].duplicated(keep=False)]
        if len(shared):
            joined = shared.merge(shared, on="own", suffixes=("", "_k"))
            joined = joined[joined["i"] != joined["i_k"]]
            ids = set(joined["other"]) | set(joined["other_k"])
            chosen = other_features[other_features["unique_id"].isin(ids)]
            records = chosen.set_index("unique_id")[list(COLUMNS)].to_dict("index")
            verdicts: dict[tuple[str, str], bool] = {}
            rival = np.empty(len(joined), dtype=bool)
            for n, (a, b) in enumerate(
                zip(joined["other"].to_numpy(), joined["other_k"].to_numpy(), strict=True)
            ):
                key = (a, b) if a <= b else (b, a)
                verdict = verdicts.get(key)
                if verdict is None:
                    verdict = verdicts[key] = contradiction(records[a], records[b]) is not None
                rival[n] = verdict
            summed = joined[rival].groupby("i")["odds_k"].sum()
            total[summed.index.to_numpy()] = summed.to_numpy()
        sums.append(total)
    return sums[0], sums[1]
