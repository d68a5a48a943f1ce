"""The vocabularies of the job market (data files) and resolving skills as people write them.

Pure functions: no database, no Django.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from awda.jobs import vocab
from awda.jobs.vocab import Term

DATA = Path(vocab.__file__).resolve().parent / "data"
ISCO_CSV = Path(vocab.__file__).resolve().parents[1] / "registry" / "data" / "isco08.csv"

# Letters Sorani never uses (it writes ی ک ە), and letters Arabic never uses.
ARABIC_ONLY = set("يكةى")
KURDISH_ONLY = set("یکەۆێڵڕھ")
NAME_FIELDS = ("name_en", "name_ar", "name_ckb")


def _rows(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as f:
        data = json.load(f)
    assert isinstance(data, list)
    return data


def _isco_codes() -> set[str]:
    with ISCO_CSV.open(encoding="utf-8") as f:
        return {row["code"] for row in csv.DictReader(f)}


FILES = ["skills.json", "isic4_sections.json", "languages.json"]


# --------------------------------------------------------------------------------------------------
# Data files


@pytest.mark.parametrize("name", FILES)
def test_codes_are_unique_and_every_name_is_present(name: str) -> None:
    rows = _rows(name)
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    for row in rows:
        for field in NAME_FIELDS:
            assert isinstance(row[field], str)
            assert row[field].strip() == row[field] != "", (row["code"], field)


@pytest.mark.parametrize("name", FILES)
def test_kurdish_names_use_kurdish_letters_and_arabic_names_arabic_letters(name: str) -> None:
    for row in _rows(name):
        assert not set(row["name_ckb"]) & ARABIC_ONLY, (row["code"], row["name_ckb"])
        assert not set(row["name_ar"]) & KURDISH_ONLY, (row["code"], row["name_ar"])


def test_skills_file_shape() -> None:
    rows = _rows("skills.json")
    assert 85 <= len(rows) <= 100
    for row in rows:
        assert set(row) == {"code", "name_en", "name_ar", "name_ckb", "synonyms", "isco"}
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", row["code"]), row["code"]
        assert 3 <= len(row["synonyms"]) <= 8, row["code"]
        assert all(isinstance(s, str) and s.strip() == s != "" for s in row["synonyms"]), row["code"]
        assert row["isco"], row["code"]


def test_every_isco_code_of_a_skill_exists() -> None:
    known = _isco_codes()
    for row in _rows("skills.json"):
        for code in row["isco"]:
            assert re.fullmatch(r"\d{1,4}", code), (row["code"], code)
            assert code in known, (row["code"], code)


def test_synonyms_do_not_repeat_the_names_or_each_other() -> None:
    for term in vocab.skills():
        names = {vocab.normalize(n) for n in (term.code, term.name_ar, term.name_ckb, term.name_en)}
        keys = [vocab.normalize(s) for s in term.synonyms]
        assert all(keys), term.code
        assert not set(keys) & names, term.code
        assert len(keys) == len(set(keys)), term.code


def test_no_spelling_belongs_to_two_skills() -> None:
    assert vocab.ambiguous_keys() == {}


def test_isic_sections_are_the_21_sections_a_to_u() -> None:
    rows = _rows("isic4_sections.json")
    assert [row["code"] for row in rows] == list("ABCDEFGHIJKLMNOPQRSTU")
    assert rows[0]["name_en"] == "Agriculture, forestry and fishing"
    assert rows[5]["name_en"] == "Construction"
    assert rows[5]["name_ar"] == "التشييد"
    assert vocab.sections() == rows


def test_languages() -> None:
    expected = [
        "ar",
        "ckb",
        "kmr",
        "tr",
        "fa",
        "syr",
        "en",
        "de",
        "sv",
        "fr",
        "nl",
        "el",
        "ru",
        "it",
        "fi",
        "da",
        "no",
    ]
    assert vocab.language_codes() == frozenset(expected)
    assert [row["code"] for row in vocab.languages()][:3] == ["ar", "ckb", "kmr"]
    assert vocab.languages()[0] == {
        "code": "ar",
        "name_en": "Arabic",
        "name_ar": "العربية",
        "name_ckb": "عەرەبی",
    }


def test_lists_are_fresh_copies() -> None:
    vocab.sections()[0]["name_en"] = "changed"
    vocab.languages().clear()
    assert vocab.sections()[0]["name_en"] == "Agriculture, forestry and fishing"
    assert len(vocab.languages()) == 17


def test_skills_are_terms_read_from_the_file() -> None:
    terms = vocab.skills()
    assert terms is vocab.skills()  # cached
    assert [t.code for t in terms] == [row["code"] for row in _rows("skills.json")]
    welding = next(t for t in terms if t.code == "welding")
    assert welding == Term(
        code="welding",
        name_ar="اللحام",
        name_ckb="لەحیمکاری",
        name_en="Welding",
        synonyms=welding.synonyms,
        isco=("7212",),
    )
    assert isinstance(welding.synonyms, tuple)
    assert "welder" in welding.synonyms
    assert welding.name("ar") == "اللحام"
    assert welding.name("ckb") == "لەحیمکاری"
    assert welding.name("en") == "Welding"
    assert welding.name("ar-iq") == "اللحام"
    assert welding.name("de") == "Welding"


# --------------------------------------------------------------------------------------------------
# Normal forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  Welding ", "welding"),
        ("Air-Conditioning & Refrigeration", "air conditioning refrigeration"),
        ("Café Soufflé", "cafe souffle"),
        ("Türkçe", "turkche"),
        # diacritics, tatweel, alef forms, ة → ه, ى → ي, article
        ("النِّجَارَة", "نجاره"),
        ("نجـــارة", "نجاره"),
        ("إدارة المشاريع", "اداره مشاريع"),
        ("مستشفى", "مستشفي"),
        # Kurdish letters to one canonical form: ی ێ → ي, ک → ك, ە → ه, ۆ → و, ڵ → ل, ڕ → ر
        ("لەحیمکاری", "لهحيمكاري"),
        ("مۆبایل", "موبايل"),
        ("ئەڵمانی", "ماني"),
        ("ڕاهێنەر", "راهينهر"),
        # an Arabic keyboard and a Kurdish keyboard give the same form
        ("كاشير", "كاشير"),
        ("کاشێر", "كاشير"),
        # a stem that begins with ال: the same with and without the article
        ("ألمانية", "مانيه"),
        ("الألمانية", "مانيه"),
        # short words keep ال; digits to 0-9; punctuation removed
        ("الة", "اله"),
        ("مكتب ٣٤، بغداد!", "مكتب 34 بغداد"),
        ("", ""),
        ("  ...  ", ""),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert vocab.normalize(text) == expected


def test_normalize_is_idempotent_on_every_spelling() -> None:
    for term in vocab.skills():
        for key in vocab.term_keys(term):
            assert vocab.normalize(key) == key


# --------------------------------------------------------------------------------------------------
# Resolving skills


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # carpentry in Arabic, English, Kurdish, by name, synonym and code
        ("نجار", "carpentry"),
        ("نجارة", "carpentry"),
        ("النجارة", "carpentry"),
        ("carpenter", "carpentry"),
        ("Carpentry", "carpentry"),
        ("CARPENTRY", "carpentry"),
        ("دارتاش", "carpentry"),
        ("دارتاشی", "carpentry"),
        ("دارتاشي", "carpentry"),
        # welding
        ("لحام", "welding"),
        ("اللحام", "welding"),
        ("welder", "welding"),
        ("لەحیمکاری", "welding"),
        ("لحيم", "welding"),
        # Iraqi dialect, Kurdish keyboard, bracketed parts of names
        ("كهربائي", "electrical-installation"),
        ("كهربائى", "electrical-installation"),
        ("سائق", "car-driving"),
        ("شۆفێر", "car-driving"),
        ("كاشير", "cashier"),
        ("کاشێر", "cashier"),
        ("MS Office", "computer-basics"),
        ("حاسبة", "computer-basics"),
        ("excel", "spreadsheets"),
        ("گرسون", "food-service"),
        ("كرسون", "food-service"),
        ("مولدة", "generator-maintenance"),
        ("مۆلیدە", "generator-maintenance"),
        ("ئاشپەز", "cooking"),
        ("مامۆستا", "teaching"),
        ("پەرستار", "nursing"),
        ("ممرضة", "nursing"),
        ("ژمێریار", "accounting"),
        ("ألمنيوم", "aluminium-works"),
        ("الألمنيوم", "aluminium-works"),
        # languages as skills, across scripts
        ("English", "english"),
        ("إنكليزي", "english"),
        ("ئینگلیزی", "english"),
        ("ألماني", "german"),
        ("الألمانية", "german"),
        ("ئەڵمانی", "german"),
        # the code itself
        ("ac-refrigeration", "ac-refrigeration"),
        ("ac refrigeration", "ac-refrigeration"),
    ],
)
def test_resolve_skill_exact(text: str, code: str) -> None:
    term = vocab.resolve_skill(text)
    assert term is not None
    assert term.code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("weldng", "welding"),
        ("Weldingg", "welding"),
        ("electrican", "electrical-installation"),
        ("carpentery", "carpentry"),
        ("plumer", "plumbing"),
        ("دلیڤەری", "delivery"),  # Kurdish spelling of دليفري, one letter more
    ],
)
def test_resolve_skill_fuzzy(text: str, code: str) -> None:
    term = vocab.resolve_skill(text)
    assert term is not None
    assert term.code == code


@pytest.mark.parametrize("text", ["asdfgh", "qwxz", "xyzzy plugh", "كلمة عشوائية", "", "   ", "!!!", "7212"])
def test_resolve_skill_gives_none_for_gibberish(text: str) -> None:
    assert vocab.resolve_skill(text) is None


def test_resolve_skill_gives_none_when_two_skills_are_equally_close() -> None:
    # حاسب is one letter from حاسبة (computer, Iraqi usage) and from محاسب (accountant).
    assert vocab.resolve_skill("حاسبة").code == "computer-basics"
    assert vocab.resolve_skill("محاسب").code == "accounting"
    assert vocab.resolve_skill("حاسب") is None


def _term(code: str, *synonyms: str) -> Term:
    return Term(code=code, name_ar=code, name_ckb=code, name_en=code, synonyms=synonyms, isco=())


@pytest.fixture
def tiny_vocabulary(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Term, ...]]:
    terms = (
        _term("alpha", "abcdefgh", "shared"),
        _term("beta", "abcdefgx", "shared"),
        _term("gamma", "longsynonym"),
    )
    monkeypatch.setattr(vocab, "skills", lambda: terms)
    vocab._index.cache_clear()
    vocab.resolve_skill.cache_clear()
    yield terms
    vocab._index.cache_clear()
    vocab.resolve_skill.cache_clear()


def test_ties_and_shared_spellings_resolve_to_nothing(tiny_vocabulary: tuple[Term, ...]) -> None:
    alpha, beta, gamma = tiny_vocabulary
    assert vocab.resolve_skill("abcdefgh") == alpha
    assert vocab.resolve_skill("abcdefgx") == beta
    assert vocab.resolve_skill("abcdefghh") == alpha  # closer to alpha than to beta
    assert vocab.resolve_skill("abcdefg") is None  # as close to both
    assert vocab.resolve_skill("shared") is None  # an exact spelling of both
    assert vocab.resolve_skill("longsynonymm") == gamma
    assert vocab.ambiguous_keys() == {"shared": ("alpha", "beta")}


def test_resolve_skills_keeps_input_order_without_duplicates_and_returns_unresolved_texts() -> None:
    found, unresolved = vocab.resolve_skills(
        ["welder", "نجار", "  asdfgh ", "", "لحام", "دارتاش", "Cooking", "asdfgh", "qwxz", "   "]
    )
    assert [t.code for t in found] == ["welding", "carpentry", "cooking"]
    assert unresolved == ["asdfgh", "qwxz"]


def test_resolve_skills_of_nothing() -> None:
    assert vocab.resolve_skills([]) == ([], [])
    assert vocab.resolve_skills(iter(["xyzzy"])) == ([], ["xyzzy"])
