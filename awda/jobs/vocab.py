"""Controlled vocabularies of the job market: skills, ISIC Rev.4 sections and languages.

The vocabularies live in ``awda/jobs/data/*.json``; this module reads them and resolves what people
write ("نجار", "carpenter", "دارتاش", "weldng") to a skill of the vocabulary. It is pure Python
without Django, so that imports, scripts and notebooks can use it without settings.

Matching works on normal forms (:func:`normalize`) that make Arabic, Kurdish (Sorani) and Persian
keyboards, diacritics, letter forms, the Arabic article and Latin accents irrelevant. A skill is
found by its code, its name in each language (also the part before and the part inside brackets:
"Computer basics (MS Office)" is found by "MS Office"), or one of its synonyms; failing an exact
match, by the single closest spelling (``rapidfuzz.fuzz.ratio`` of at least :data:`FUZZY_CUTOFF`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

__all__ = [
    "FUZZY_CUTOFF",
    "Term",
    "ambiguous_keys",
    "language_codes",
    "languages",
    "normalize",
    "resolve_skill",
    "resolve_skills",
    "sections",
    "skills",
    "term_keys",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

# rapidfuzz.fuzz.ratio (0-100) a misspelling needs to be taken for a term: one missing or extra
# letter in a word of seven or more letters, one wrong letter in a word of nine or more.
FUZZY_CUTOFF = 88.0

LANGUAGES = ("ar", "ckb", "en")


@dataclass(frozen=True)
class Term:
    """A skill of the controlled vocabulary."""

    code: str
    name_ar: str
    name_ckb: str
    name_en: str
    synonyms: tuple[str, ...]
    isco: tuple[str, ...]

    def name(self, language: str) -> str:
        """The name in ``language`` ("ar", "ckb", "en", or a variant such as "ar-iq"); English otherwise."""
        base = language.lower().replace("_", "-").split("-")[0]
        if base == "ar":
            return self.name_ar
        if base == "ckb":
            return self.name_ckb
        return self.name_en


# --------------------------------------------------------------------------------------------------
# Normal forms

_TATWEEL = "\u0640"
# Harakat, Quranic marks, superscript alef and the extended marks some keyboards emit.
_ARABIC_MARKS_RE = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff]")
# Zero-width (non-)joiners and direction marks, typed inside Kurdish and Persian words.
_INVISIBLE_RE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
# Kurdish writes a word-initial vowel on a hamza seat (ئاو, ئەندازیار, ئینگلیزی): the seat and a
# following ا or ە are one ا, as an Arabic keyboard writes them. Elsewhere ئ stands for ي.
_INITIAL_HAMZA_SEAT_RE = re.compile(r"(?<![^\W\d_])ئ[اأإآٱە]?")

_LETTER_MAP = str.maketrans(
    {
        # Alef forms and hamza seats.
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ء": "",
        # One canonical letter for the Arabic, Kurdish and Persian forms of y, k and h.
        "ى": "ي",
        "ی": "ي",
        "ې": "ي",
        "ێ": "ي",
        "ک": "ك",
        "ڪ": "ك",
        "ة": "ه",
        "ە": "ه",
        "ھ": "ه",
        "ہ": "ه",
        "ۀ": "ه",
        "ۃ": "ه",
        # Other Kurdish letters: the letter an Arabic keyboard writes for them.
        "ۆ": "و",
        "ۇ": "و",
        "ۈ": "و",
        "ۋ": "و",
        "ڵ": "ل",
        "ڕ": "ر",
        "گ": "ك",
        "ڤ": "ف",
        "پ": "ب",
        "چ": "ج",
        "ژ": "ز",
        # Latin letters that NFKD does not decompose (Kurdish Kurmanji and Turkish spellings).
        "ş": "sh",
        "ç": "ch",
        "ı": "i",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ł": "l",
    }
)
# Apostrophes inside a word (ʿayn and hamza in romanisations) are deleted, not turned into spaces.
_APOSTROPHES_RE = re.compile("['`´ʹʻʼʽʾʿ‘’‛′]")
_ARTICLE = "ال"
_ARTICLE_MIN_WORD = 4


def _is_arabic_word(word: str) -> bool:
    return any(unicodedata.name(ch, "").startswith("ARABIC") for ch in word)


def _ascii_digit(ch: str) -> str:
    return str(unicodedata.digit(ch)) if ch.isdigit() and not ch.isascii() else ch


def _strip_article(word: str) -> str:
    # Repeated, so that a stem that begins with ال itself (ألمانية, ألمنيوم, إلكترونيات) has the same
    # normal form with and without the article: الألمانية → المانيه → مانيه, ألمانية → المانيه → مانيه.
    while word.startswith(_ARTICLE) and len(word) >= _ARTICLE_MIN_WORD:
        word = word[len(_ARTICLE) :]
    return word


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """The normal form of a skill, occupation or language as typed, for matching.

    Lower case; Latin accents removed (ş → sh, ç → ch); Arabic-Indic and Persian digits to 0-9;
    in Arabic script, diacritics, tatweel and zero-width characters removed, أ إ آ ٱ → ا, ؤ → و,
    ئ → ي (a word-initial ئ, ئا, ئە → ا), ء dropped, ي ی ى ێ → ي, ك ک → ك, ه ە ة → ه, ۆ → و,
    ڵ → ل, ڕ → ر, and گ ڤ پ چ ژ → ك ف ب ج ز as typed on an Arabic keyboard; punctuation to spaces,
    runs of spaces to one; a leading article ال dropped from each Arabic-script word of four or
    more letters (again while the rest still begins with ال and has four or more letters).
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _INVISIBLE_RE.sub("", text)
    text = _ARABIC_MARKS_RE.sub("", text).replace(_TATWEEL, "")
    text = _INITIAL_HAMZA_SEAT_RE.sub("ا", text)
    text = text.translate(_LETTER_MAP)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", text).translate(_LETTER_MAP)
    text = _APOSTROPHES_RE.sub("", text)
    text = "".join(_ascii_digit(ch) if unicodedata.category(ch)[0] in "LN" else " " for ch in text)
    words = [_strip_article(w) if _is_arabic_word(w) else w for w in text.split()]
    return " ".join(w for w in words if w)


# --------------------------------------------------------------------------------------------------
# Data files


def _load(name: str) -> list[dict[str, Any]]:
    with (DATA_DIR / name).open(encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, list):
        raise ValueError(f"{name}: expected a JSON list")
    return data


@lru_cache(maxsize=1)
def skills() -> tuple[Term, ...]:
    """The skills of ``skills.json``, in the order of the file."""
    return tuple(
        Term(
            code=str(row["code"]),
            name_ar=str(row["name_ar"]),
            name_ckb=str(row["name_ckb"]),
            name_en=str(row["name_en"]),
            synonyms=tuple(str(s) for s in row.get("synonyms", ())),
            isco=tuple(str(c) for c in row.get("isco", ())),
        )
        for row in _load("skills.json")
    )


@lru_cache(maxsize=1)
def _sections() -> tuple[tuple[tuple[str, str], ...], ...]:
    return tuple(tuple((str(k), str(v)) for k, v in row.items()) for row in _load("isic4_sections.json"))


def sections() -> list[dict[str, str]]:
    """The 21 sections A-U of ISIC Rev.4: ``code``, ``name_en``, ``name_ar``, ``name_ckb`` (a fresh copy)."""
    return [dict(row) for row in _sections()]


@lru_cache(maxsize=1)
def _languages() -> tuple[tuple[tuple[str, str], ...], ...]:
    return tuple(tuple((str(k), str(v)) for k, v in row.items()) for row in _load("languages.json"))


def languages() -> list[dict[str, str]]:
    """Languages a person may speak or an offer may require: ``code``, ``name_en``, ``name_ar``, ``name_ckb``."""
    return [dict(row) for row in _languages()]


@lru_cache(maxsize=1)
def language_codes() -> frozenset[str]:
    """The codes of :func:`languages` (ar, ckb, kmr, en…)."""
    return frozenset(code for row in _languages() for key, code in row if key == "code")


# --------------------------------------------------------------------------------------------------
# Resolving what people write

_BRACKETS_RE = re.compile(r"[(\[]([^)\]]*)[)\]]")


def _name_variants(name: str) -> list[str]:
    """A name, the name without its bracketed part and each bracketed part."""
    variants = [name]
    inner = _BRACKETS_RE.findall(name)
    if inner:
        variants.append(_BRACKETS_RE.sub(" ", name))
        variants.extend(inner)
    return variants


def term_keys(term: Term) -> frozenset[str]:
    """Every normal form under which ``term`` is found exactly."""
    texts = [term.code, *term.synonyms]
    for name in (term.name_ar, term.name_ckb, term.name_en):
        texts.extend(_name_variants(name))
    return frozenset(k for k in map(normalize, texts) if k)


@dataclass(frozen=True)
class _Index:
    exact: dict[str, tuple[Term, ...]]
    keys: tuple[str, ...]


@lru_cache(maxsize=1)
def _index() -> _Index:
    exact: dict[str, list[Term]] = {}
    for term in skills():
        for key in term_keys(term):
            exact.setdefault(key, []).append(term)
    return _Index(exact={k: tuple(v) for k, v in exact.items()}, keys=tuple(exact))


def ambiguous_keys() -> dict[str, tuple[str, ...]]:
    """Normal forms shared by two or more skills (codes); the vocabulary should have none."""
    return {k: tuple(t.code for t in terms) for k, terms in _index().exact.items() if len(terms) > 1}


@lru_cache(maxsize=4096)
def resolve_skill(text: str) -> Term | None:
    """The skill ``text`` names, or None.

    First an exact match of the normal form against the normal forms of every skill's code, names
    and synonyms; then the single closest normal form by ``rapidfuzz.fuzz.ratio`` of at least
    :data:`FUZZY_CUTOFF`. None when nothing is that close, or when the best match belongs to two
    different skills (an exact form shared by two skills, or two skills at the same best score).
    """
    key = normalize(text)
    if not key:
        return None
    index = _index()
    exact = index.exact.get(key)
    if exact is not None:
        return exact[0] if len(exact) == 1 else None
    best: dict[str, tuple[float, Term]] = {}
    for candidate, score, _ in process.extract(
        key, index.keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
    ):
        for term in index.exact[candidate]:
            if term.code not in best or score > best[term.code][0]:
                best[term.code] = (score, term)
    if not best:
        return None
    ranked = sorted(best.values(), key=lambda pair: pair[0], reverse=True)
    if len(ranked) > 1 and ranked[1][0] == ranked[0][0]:
        return None
    return ranked[0][1]


def resolve_skills(texts: Iterable[str]) -> tuple[list[Term], list[str]]:
    """Resolve several texts: the skills found (each once, in input order) and the texts not resolved.

    Blank texts are skipped; an unresolved text is returned once, stripped of surrounding spaces.
    """
    found: list[Term] = []
    unresolved: list[str] = []
    for text in texts:
        stripped = text.strip()
        if not normalize(stripped):
            continue
        term = resolve_skill(stripped)
        if term is None:
            if stripped not in unresolved:
                unresolved.append(stripped)
        elif term not in found:
            found.append(term)
    return found, unresolved
