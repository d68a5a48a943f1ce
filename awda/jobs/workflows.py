"""The placement lifecycle as data: which side may move a placement from which status to which.

proposed → agreed by the person (or declined) → shared with the employer → interview → hired or not
hired. The case side speaks for the person (their case worker); the employer side is the company's own
users or employment-office staff acting for a company without an account. Either side may withdraw a
placement that is not finished. Anything not in this table is refused.
"""

from __future__ import annotations

from typing import Final, Literal

from awda.jobs.enums import PlacementStatus as S

Side = Literal["case", "employer"]

TRANSITIONS: Final[dict[tuple[str, str], frozenset[Side]]] = {
    (S.PROPOSED, S.AGREED): frozenset({"case"}),
    (S.PROPOSED, S.DECLINED): frozenset({"case"}),
    (S.AGREED, S.SHARED): frozenset({"case"}),
    (S.SHARED, S.INTERVIEW): frozenset({"employer"}),
    (S.SHARED, S.HIRED): frozenset({"employer"}),
    (S.SHARED, S.NOT_HIRED): frozenset({"employer"}),
    (S.INTERVIEW, S.HIRED): frozenset({"employer"}),
    (S.INTERVIEW, S.NOT_HIRED): frozenset({"employer"}),
    (S.PROPOSED, S.WITHDRAWN): frozenset({"case", "employer"}),
    (S.AGREED, S.WITHDRAWN): frozenset({"case", "employer"}),
    (S.SHARED, S.WITHDRAWN): frozenset({"case", "employer"}),
    (S.INTERVIEW, S.WITHDRAWN): frozenset({"case", "employer"}),
}

FINAL: Final = frozenset({S.DECLINED, S.HIRED, S.NOT_HIRED, S.WITHDRAWN})
# Where the company sees who the person is (with a consent in force).
DISCLOSED: Final = frozenset({S.SHARED, S.INTERVIEW, S.HIRED, S.NOT_HIRED})


def allowed(from_status: str, to_status: str, sides: frozenset[Side]) -> bool:
    return bool(TRANSITIONS.get((from_status, to_status), frozenset()) & sides)


def next_statuses(status: str, sides: frozenset[Side]) -> list[str]:
    return [to for (frm, to), who in TRANSITIONS.items() if frm == status and who & sides]
