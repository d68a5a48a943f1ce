"""The referral lifecycle as data: which side may move a referral from which status to which.

draft → sent → accepted or declined → in progress → completed (with an outcome) or not completed
(with a reason); the sender may revoke until the service has started; the system expires a referral
nobody answered within the provider's service level. A transfer of a case ends when it is accepted:
the case has changed hands. Anything not in this table is refused.
"""

from __future__ import annotations

from typing import Final, Literal

from awda.referrals.enums import ReferralKind
from awda.referrals.enums import ReferralStatus as S

Side = Literal["sender", "receiver", "system"]

TRANSITIONS: Final[dict[tuple[str, str], Side]] = {
    (S.DRAFT, S.SENT): "sender",
    (S.DRAFT, S.REVOKED): "sender",
    (S.SENT, S.ACCEPTED): "receiver",
    (S.SENT, S.DECLINED): "receiver",
    (S.SENT, S.REVOKED): "sender",
    (S.SENT, S.EXPIRED): "system",
    (S.ACCEPTED, S.IN_PROGRESS): "receiver",
    (S.ACCEPTED, S.COMPLETED): "receiver",
    (S.ACCEPTED, S.NOT_COMPLETED): "receiver",
    (S.ACCEPTED, S.REVOKED): "sender",
    (S.IN_PROGRESS, S.COMPLETED): "receiver",
    (S.IN_PROGRESS, S.NOT_COMPLETED): "receiver",
}

# A transfer is answered, not served: once accepted, the system completes it in the same step.
TRANSFER_TRANSITIONS: Final[dict[tuple[str, str], Side]] = {
    (S.DRAFT, S.SENT): "sender",
    (S.DRAFT, S.REVOKED): "sender",
    (S.SENT, S.ACCEPTED): "receiver",
    (S.SENT, S.DECLINED): "receiver",
    (S.SENT, S.REVOKED): "sender",
    (S.SENT, S.EXPIRED): "system",
    (S.ACCEPTED, S.COMPLETED): "system",
}

FINAL: Final = frozenset({S.DECLINED, S.COMPLETED, S.NOT_COMPLETED, S.REVOKED, S.EXPIRED})


def table(kind: str) -> dict[tuple[str, str], Side]:
    return TRANSFER_TRANSITIONS if kind == ReferralKind.TRANSFER else TRANSITIONS


def allowed(kind: str, from_status: str, to_status: str, side: Side) -> bool:
    return table(kind).get((from_status, to_status)) == side


def next_statuses(kind: str, status: str, side: Side) -> list[str]:
    """The statuses ``side`` may move a referral to from ``status``, in the table's order."""
    return [to for (frm, to), who in table(kind).items() if frm == status and who == side]
