"""Turning input records (Arabic or Latin names, dates, places, phones) into the columns the comparisons read."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from awda.registry.names import (
    detect_script,
    name_tokens,
    normalize_document_number,
    normalize_name,
    normalize_phone,
    skeleton,
    strict_key,
    strip_article,
    transliterate,
)

from .dates import DateOfBirth, parse_date_of_birth

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "INPUT_COLUMNS",
    "NameParts",
    "feature_frame",
    "governorate_pcode",
    "normalise_sex",
    "split_full_name",
]

INPUT_COLUMNS = (
    "record_id",
    "full_name",
    "given_name",
    "father_name",
    "grandfather_name",
    "family_name",
    "mother_name",
    "date_of_birth",
    "sex",
    "governorate",
    "phone",
    "national_id",
)

# The geo app's own table of P-codes and names; read as a file so that linkage needs no database.
_ADMIN_CSV = Path(__file__).resolve().parents[2] / "geo" / "data" / "iraq_admin.csv"

# English and Kurdish spellings seen on registers that the geo table does not carry.
_GOVERNORATE_ALIASES = {
    "IQG01": ("Anbar", "Al Anbar"),
    "IQG02": ("Basra", "Basrah", "Busra"),
    "IQG03": ("Muthanna", "Samawa", "Samawah"),
    "IQG04": ("Najaf", "An-Najaf"),
    "IQG05": ("Qadisiyah", "Qadissiya", "Diwaniyah", "Diwaniya", "Al-Diwaniya"),
    "IQG06": ("Sulaymaniyah", "Sulaimaniya", "Slemani", "Silemani", "Sulaimani", "Suleimaniyah"),
    "IQG07": ("Babylon", "Babel", "Hilla"),
    "IQG08": ("Bagdad",),
    "IQG09": ("Dahuk", "Dohuk", "Dihok", "Duhok"),
    "IQG10": ("Diala", "Diyala"),
    "IQG11": ("Arbil", "Irbil", "Hawler", "Hewler", "Hawlir"),
    "IQG12": ("Karbala", "Karbalaa", "Kerbela"),
    "IQG13": ("Kirkouk", "Karkuk", "Tamim", "Al-Tameem"),
    "IQG14": ("Missan", "Misan", "Mesan", "Amarah"),
    "IQG15": ("Nineveh", "Ninawa", "Nineva", "Ninawa", "Ninevah"),
    "IQG16": ("Salahuddin", "Salah ad Din", "Salahaddin", "Salaheddin"),
    "IQG17": ("Dhi Qar", "Thi-Qar", "Dhiqar", "Nasiriyah"),
    "IQG18": ("Wasit", "Wassit", "Kut"),
}

_PCODE_RE = re.compile(r"^IQ-?G(\d{2})$")


def _governorate_key(text: str) -> str:
    # The consonant key makes Sulaymaniyah, Sulaimaniya, Slemani and السليمانية one key; among 18
    # governorates no two names share it (checked in the tests).
    return skeleton(strip_article(text)).replace(" ", "")


@lru_cache(maxsize=1)
def _governorate_table() -> dict[str, str]:
    table: dict[str, str] = {}
    with _ADMIN_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["level"] != "1":
                continue
            for column in ("name_en", "name_ar", "name_ckb"):
                if row[column]:
                    table.setdefault(_governorate_key(row[column]), row["pcode"])
    for pcode, aliases in _GOVERNORATE_ALIASES.items():
        for alias in aliases:
            table.setdefault(_governorate_key(alias), pcode)
    return table


@lru_cache(maxsize=4096)
def governorate_pcode(text: str) -> str | None:
    """The OCHA P-code (IQG01…IQG18) of a governorate written in any script or spelling, or as a P-code."""
    text = (text or "").strip()
    if not text:
        return None
    match = _PCODE_RE.match(text.upper().replace(" ", ""))
    if match:
        number = int(match.group(1))
        return f"IQG{number:02d}" if 1 <= number <= 18 else None
    key = _governorate_key(text)
    return _governorate_table().get(key) if key else None


_SEX = {
    "m": "M",
    "male": "M",
    "man": "M",
    "boy": "M",
    "1": "M",
    "ذكر": "M",
    "نير": "M",
    "نيره": "M",
    "f": "F",
    "female": "F",
    "woman": "F",
    "girl": "F",
    "2": "F",
    "انثي": "F",
    "انثا": "F",
    "مي": "F",
    "ميينه": "F",
}


@lru_cache(maxsize=256)
def normalise_sex(text: str) -> str | None:
    """ "M", "F" or None, from M/F, male/female, ذكر/انثى, نێر/مێ and the like."""
    key = normalize_name(text or "")
    return _SEX.get(key)


@dataclass(frozen=True)
class NameParts:
    """A person's name split Iraqi style; ``rest`` holds the ancestors between grandfather and family."""

    given: str
    father: str
    grandfather: str
    family: str
    rest: tuple[str, ...]


_LATIN_ARTICLE_BEFORE_LAST_RE = re.compile(r"(?:^|[\s\-])(?:al|el|ar|ash|as|at|ad|az|an)[\s\-]+[^\s\-]+\s*$")


def _last_word_has_article(full_name: str, last_token: str) -> bool:
    if detect_script(last_token) == "arabic":
        return strip_article(last_token) != last_token
    raw = unicodedata.normalize("NFKC", full_name).lower().strip()
    return bool(_LATIN_ARTICLE_BEFORE_LAST_RE.search(raw)) or strip_article(last_token) != last_token


@lru_cache(maxsize=262144)
def split_full_name(full_name: str) -> NameParts:
    """Split a full name given as one string into given, father, grandfather, further ancestors, family.

    Iraqi names list the person's own name, the father's, the grandfather's (sometimes more
    ancestors) and often a family or tribal name last. The last word is taken as the family name
    when it carries an article (الجبوري, Al-Juburi) or when there are five words or more; four
    words without an article stay four generations (the fourth goes to ``rest``), because the
    great-grandfather's name is as common there as a family name without article.
    """
    tokens = name_tokens(full_name)
    family = ""
    if len(tokens) >= 4 and (len(tokens) >= 5 or _last_word_has_article(full_name, tokens[-1])):
        family = tokens[-1]
        tokens = tokens[:-1]
    return NameParts(
        given=tokens[0] if tokens else "",
        father=tokens[1] if len(tokens) > 1 else "",
        grandfather=tokens[2] if len(tokens) > 2 else "",
        family=family,
        rest=tuple(tokens[3:]),
    )


def _name_parts(row: Mapping[str, str]) -> NameParts:
    given = normalize_name(row.get("given_name") or "")
    if not given:
        return split_full_name(row.get("full_name") or "")
    # Parts given: they win; the full name only adds the ancestors it lists between them.
    father = normalize_name(row.get("father_name") or "")
    grandfather = normalize_name(row.get("grandfather_name") or "")
    family = normalize_name(row.get("family_name") or "")
    rest: tuple[str, ...] = ()
    full = name_tokens(row.get("full_name") or "")
    known = {given, father, grandfather, family} | set(family.split())
    if len(full) > 3:
        rest = tuple(t for t in full[3:] if t not in known)
    return NameParts(given=given, father=father, grandfather=grandfather, family=family, rest=rest)


# Kurdish ە is a vowel (نەوزاد is Nawzad, بەختیار Bakhtiyar). The registry's keys read it as the ه an
# Arabic keyboard writes in its place (بهختيار), which is right between two Arabic-script spellings and
# wrong against a romanisation. Comparisons across scripts read it as ا instead: the skeleton and the
# transliteration of that reading agree with the Latin spelling (نەوزاد → ndd = NAWZAD → ndd). Kurdish ژ
# is romanised zh or j (Zhyan, Jian for ژیان): the registry's keys read it as ز, this reading as ج,
# so that a romanisation agrees with one or the other.
_KURDISH_READING = str.maketrans({"ە": "ا", "ژ": "ج"})


def _kurdish(text: str) -> str:
    return text.translate(_KURDISH_READING)


def _kurdish_reading(row: Mapping[str, str]) -> Mapping[str, str]:
    return {k: _kurdish(v) if isinstance(v, str) else v for k, v in row.items()}


def _script(text: str) -> str | None:
    if not text:
        return None
    script = detect_script(text)
    return "a" if script == "arabic" else "l" if script == "latin" else "m"


def _nonempty(value: str | None) -> str | None:
    return value if value else None


@lru_cache(maxsize=262144)
def _name_columns(text: str) -> tuple[str | None, str | None, str | None, str | None]:
    """Normal form, strict key, skeleton and script of one name part (its transliteration is read
    across scripts: see _cross_columns)."""
    if not text:
        return (None, None, None, None)
    normal = normalize_name(text)
    return (_nonempty(normal), _nonempty(strict_key(normal)), _nonempty(skeleton(normal)), _script(normal))


@lru_cache(maxsize=262144)
def _cross_columns(text: str) -> tuple[str | None, str | None]:
    """Skeleton and transliteration of a name part for comparing it across scripts."""
    if not text:
        return (None, None)
    return (_nonempty(skeleton(text)), _nonempty(transliterate(text)))


@lru_cache(maxsize=262144)
def _family_key(text: str) -> str | None:
    return _nonempty(skeleton(strip_article(text)).replace(" ", "")) if text else None


def _document_ends(number: str | None) -> tuple[str | None, str | None]:
    """The first and the last (n - 1) // 2 characters of a document number of seven or more.

    They leave a middle character (two for an even length) out of both, so one substitution or one
    swap of neighbouring characters cannot break both ends.
    """
    if not number or len(number) < 7:
        return (None, None)
    k = (len(number) - 1) // 2
    return (number[:k], number[-k:])


def _clean(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return ""
    return str(value).strip()


def _mapped(series: pd.Series, fn: Callable[[str], object]) -> pd.Series:
    # Names, dates and places repeat: compute once per distinct value.
    uniques = series.unique()
    lookup = {value: fn(value) for value in uniques}
    return series.map(lookup)


def _as_frame(records: Iterable[Mapping[str, object]] | pd.DataFrame) -> pd.DataFrame:
    import pandas as pd  # only linkage needs pandas; web processes import this module for its pure helpers

    frame = records.copy() if isinstance(records, pd.DataFrame) else pd.DataFrame.from_records(list(records))
    for column in INPUT_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[list(INPUT_COLUMNS)]
    return frame.map(_clean)


def feature_frame(records: Iterable[Mapping[str, object]] | pd.DataFrame) -> pd.DataFrame:
    """One row of comparison columns per record; ``unique_id`` is the record_id. Missing values are None."""
    import pandas as pd

    raw = _as_frame(records)
    out = pd.DataFrame({"unique_id": raw["record_id"].astype(str)})

    # Parts depend on several columns; key them by the tuple so repeated names are split once.
    name_cols = ["given_name", "father_name", "grandfather_name", "family_name", "full_name"]
    keys = pd.Series(list(zip(*(raw[c] for c in name_cols), strict=True)), index=raw.index)
    parts_lookup = {k: _name_parts(dict(zip(name_cols, k, strict=True))) for k in keys.unique()}
    parts = keys.map(parts_lookup)
    # The same split of the names with Kurdish ە read as a vowel, for comparisons across scripts; the
    # replacement keeps every word a word, so the parts line up with those above.
    kurdish_lookup = {
        k: _name_parts(_kurdish_reading(dict(zip(name_cols, k, strict=True))))
        if any(_kurdish(v) != v for v in k)
        else parts_lookup[k]
        for k in parts_lookup
    }
    cross_parts = keys.map(kurdish_lookup)

    for role in ("given", "father", "grandfather"):
        texts = parts.map(lambda p, role=role: getattr(p, role))
        cols = _mapped(texts, _name_columns)
        out[f"{role}_n"] = cols.map(lambda c: c[0])
        out[f"{role}_strict"] = cols.map(lambda c: c[1])
        out[f"{role}_skel"] = cols.map(lambda c: c[2])
        out[f"{role}_script"] = cols.map(lambda c: c[3])
        cross = _mapped(cross_parts.map(lambda p, role=role: getattr(p, role)), _cross_columns)
        out[f"{role}_xskel"] = cross.map(lambda c: c[0])
        out[f"{role}_tr"] = cross.map(lambda c: c[1])

    # The lineage key: father's and grandfather's strict keys together, for its term frequency.
    out["lineage_strict"] = [
        f"{f} {g}" if f and g else None
        for f, g in zip(out["father_strict"], out["grandfather_strict"], strict=True)
    ]

    # The great-grandfather, when a full name lists one: it tells cousins and namesakes apart.
    ggf = _mapped(parts.map(lambda p: p.rest[0] if p.rest else ""), _name_columns)
    out["ggf_strict"] = ggf.map(lambda c: c[1])
    out["ggf_skel"] = ggf.map(lambda c: c[2])
    out["ggf_tr"] = _mapped(cross_parts.map(lambda p: p.rest[0] if p.rest else ""), _cross_columns).map(
        lambda c: c[1]
    )

    family = parts.map(lambda p: p.family)
    out["family_skel"] = _mapped(family, _family_key)
    cross_family = cross_parts.map(lambda p: p.family)
    out["family_xskel"] = _mapped(cross_family, _family_key)
    out["family_tr"] = _mapped(
        cross_family, lambda t: _nonempty(transliterate(strip_article(t))) if t else None
    )
    # Every later name word (further ancestors and family), space-delimited, so a family name
    # written on one side can be found in a full name split differently on the other.
    out["tail_skels"] = parts.map(
        lambda p: (
            " " + " ".join(k for k in (_family_key(t) for t in (*p.rest, p.family) if t) if k) + " "
            if (p.rest or p.family)
            else None
        )
    )

    mother = _mapped(raw["mother_name"], _name_columns)
    out["mother_strict"] = mother.map(lambda c: c[1])
    out["mother_skel"] = mother.map(lambda c: c[2])
    out["mother_script"] = mother.map(lambda c: c[3])
    cross_mother = _mapped(raw["mother_name"].map(_kurdish), lambda t: _cross_columns(normalize_name(t)))
    out["mother_xskel"] = cross_mother.map(lambda c: c[0])
    out["mother_tr"] = cross_mother.map(lambda c: c[1])

    dob: pd.Series = _mapped(raw["date_of_birth"], parse_date_of_birth)
    out["dob"] = dob.map(lambda d: d.iso if d else None)
    out["dob_year"] = dob.map(lambda d: d.year if d else None).astype("Int64")
    out["dob_month"] = dob.map(lambda d: d.month if d else None).astype("Int64")
    out["dob_day"] = dob.map(lambda d: d.day if d else None).astype("Int64")
    out["dob_placeholder"] = dob.map(lambda d: d.placeholder if d else None).astype("boolean")

    out["sex"] = _mapped(raw["sex"], normalise_sex)
    out["governorate"] = _mapped(raw["governorate"], governorate_pcode)
    out["phone"] = _mapped(raw["phone"], lambda t: normalize_phone(t) if t else None)
    out["national_id"] = _mapped(raw["national_id"], lambda t: _nonempty(normalize_document_number(t)))
    # Blocking keys that survive one error: the given and family names in either order (registers
    # that put the family name first, or a form filled in the wrong boxes), and the two ends of a
    # document number, which a mistyped or transposed digit in its middle leaves one of intact.
    out["name_set"] = [
        " ".join(sorted((g, f))) if g and f else None
        for g, f in zip(out["given_skel"], out["family_skel"], strict=True)
    ]
    ends = out["national_id"].map(_document_ends)
    out["national_id_head"] = ends.map(lambda e: e[0])
    out["national_id_tail"] = ends.map(lambda e: e[1])
    return (
        out.astype(object)
        .where(out.notna(), None)
        .astype({"dob_year": "Int64", "dob_month": "Int64", "dob_day": "Int64", "dob_placeholder": "boolean"})
    )


__all__ += ["DateOfBirth", "parse_date_of_birth"]
