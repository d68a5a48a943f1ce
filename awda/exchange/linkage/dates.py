"""Reading dates of birth as registers write them, and recognising placeholder days."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

__all__ = ["PLACEHOLDER_DAYS", "DateOfBirth", "dob_agreement", "parse_date_of_birth"]

# Registrars who know only the year write 1 January or 1 July (the middle of the year).
PLACEHOLDER_DAYS = frozenset({(1, 1), (7, 1)})

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_YMD_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T].*)?$")
_DMY_RE = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_MONTH_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_YEAR_RE = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class DateOfBirth:
    """A date of birth; ``month``/``day`` are None when only the year (or year and month) is known."""

    year: int
    month: int | None
    day: int | None

    @property
    def placeholder(self) -> bool:
        """True when the day (or the month and day) is probably not the real one."""
        return self.day is None or (self.month, self.day) in PLACEHOLDER_DAYS

    @property
    def iso(self) -> str | None:
        if self.month is None or self.day is None:
            return None
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return 1880 <= year <= 2100


@lru_cache(maxsize=65536)
def parse_date_of_birth(text: str) -> DateOfBirth | None:
    """Read 1990-05-17, 1990/5/17, 17/05/1990, 19900517, 1990-05 or 1990 (Arabic-Indic digits too).

    A day-first date is read as day/month (as written in Iraq); an impossible date is None, and so
    is a year outside 1880–2100. 00 for a month or day means "unknown".
    """
    text = unicodedata.normalize("NFKC", (text or "").strip()).translate(_DIGITS)
    if not text:
        return None
    for pattern, order in ((_YMD_RE, "ymd"), (_COMPACT_RE, "ymd"), (_DMY_RE, "dmy")):
        match = pattern.match(text)
        if match:
            a, b, c = (int(g) for g in match.groups()[:3])
            year, month, day = (a, b, c) if order == "ymd" else (c, b, a)
            if month == 0 and 1880 <= year <= 2100:
                return DateOfBirth(year, None, None)
            if day == 0 and 1 <= month <= 12 and 1880 <= year <= 2100:
                return DateOfBirth(year, month, None)
            return DateOfBirth(year, month, day) if _valid(year, month, day) else None
    match = _YEAR_MONTH_RE.match(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1880 <= year <= 2100 and 1 <= month <= 12:
            return DateOfBirth(year, month, None)
        return None
    match = _YEAR_RE.match(text)
    if match and 1880 <= int(match.group(1)) <= 2100:
        return DateOfBirth(int(match.group(1)), None, None)
    return None


def dob_agreement(a: DateOfBirth | None, b: DateOfBirth | None) -> str:
    """How two dates of birth agree, by the same rules as the engine's comparison (its level keys).

    "missing", "exact", "exact_placeholder", "placeholder_same_year", "day_month_swapped",
    "close" (same year and month, or one digit apart), "same_year" (another day of the same year),
    "year_apart" (years one apart), "different".
    """
    if a is None or b is None:
        return "missing"
    if a.iso is not None and a.iso == b.iso:
        return "exact_placeholder" if a.placeholder else "exact"
    same_year = a.year == b.year
    if same_year and (a.placeholder or b.placeholder):
        return "placeholder_same_year"
    if same_year and a.month is not None and a.month == b.day and a.day == b.month:
        return "day_month_swapped"
    if (
        a.iso
        and b.iso
        and (
            (same_year and a.month == b.month) or sum(x != y for x, y in zip(a.iso, b.iso, strict=True)) == 1
        )
    ):
        return "close"
    if same_year:
        return "same_year"
    if abs(a.year - b.year) <= 1:
        return "year_apart"
    return "different"
