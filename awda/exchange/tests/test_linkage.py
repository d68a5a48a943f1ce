"""Tests of the linkage engine (features, scoring, clusters) and of the `awda link` command; no database."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from awda.exchange.linkage import (
    LinkageSettings,
    dedupe_records,
    dob_agreement,
    governorate_pcode,
    link_records,
    normalise_sex,
    parse_date_of_birth,
    split_full_name,
)

DATA = Path(__file__).parent / "data"
TRUE_LINKS = {
    ("L01", "R01"), ("L02", "R02"), ("L03", "R20"), ("L04", "R03"), ("L06", "R04"), ("L08", "R05"),
    ("L09", "R06"), ("L10", "R07"), ("L11", "R08"), ("L12", "R09"), ("L13", "R10"), ("L14", "R11"),
    ("L15", "R18"), ("L16", "R12"), ("L17", "R13"), ("L18", "R14"), ("L19", "R15"), ("L20", "R19"),
}  # fmt: skip


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


# --------------------------------------------------------------------------------------------------
# Features


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1990-05-17", "1990-05-17", "exact"),
        ("1990-01-01", "1990-01-01", "exact_placeholder"),
        ("1990-07-01", "1990-03-15", "placeholder_same_year"),
        ("1990", "1990-03-15", "placeholder_same_year"),
        ("1990-05-07", "1990-07-05", "day_month_swapped"),
        ("1990-05-17", "1990-05-27", "close"),
        ("1990-05-17", "1991-08-02", "year_apart"),
        ("1990-05-17", "1990-11-02", "same_year"),
        ("1990-05-17", "1995-05-17", "close"),  # one digit apart
        ("1990-05-17", "1997-11-02", "different"),
        ("1990-05-17", "", "missing"),
    ],
)
def test_dob_agreement_classifies_tolerances(a: str, b: str, expected: str) -> None:
    assert dob_agreement(parse_date_of_birth(a), parse_date_of_birth(b)) == expected


def test_parse_date_of_birth_reads_register_formats() -> None:
    assert parse_date_of_birth("17/05/1990").iso == "1990-05-17"
    assert parse_date_of_birth("19900517").iso == "1990-05-17"
    assert parse_date_of_birth("١٩٩٠-٠٥-١٧").iso == "1990-05-17"
    year_only = parse_date_of_birth("1990")
    assert (year_only.year, year_only.iso, year_only.placeholder) == (1990, None, True)
    assert parse_date_of_birth("1990-02-30") is None
    assert parse_date_of_birth("unknown") is None


@pytest.mark.parametrize(
    ("text", "pcode"),
    [
        ("Al-Anbar", "IQG01"), ("Anbar", "IQG01"), ("الأنبار", "IQG01"), ("الانبار", "IQG01"),
        ("Sulaymaniyah", "IQG06"), ("Slemani", "IQG06"), ("السليمانية", "IQG06"), ("سلێمانی", "IQG06"),
        ("Basrah", "IQG02"), ("البصره", "IQG02"), ("Babylon", "IQG07"), ("Hawler", "IQG11"),
        ("أربيل", "IQG11"), ("هەولێر", "IQG11"), ("Thi-Qar", "IQG17"), ("ذى قار", "IQG17"),
        ("Salah ad Din", "IQG16"), ("Salahuddin", "IQG16"), ("Diwaniyah", "IQG05"), ("Missan", "IQG14"),
        ("IQG10", "IQG10"), ("iqg09", "IQG09"), ("IQG19", None), ("Atlantis", None), ("", None),
    ],
)  # fmt: skip
def test_governorate_pcode_maps_spellings_and_pcodes(text: str, pcode: str | None) -> None:
    assert governorate_pcode(text) == pcode


@pytest.mark.parametrize(
    ("text", "sex"),
    [("M", "M"), ("male", "M"), ("ذكر", "M"), ("نێر", "M"), ("F", "F"), ("Female", "F"), ("أنثى", "F"),
     ("انثى", "F"), ("مێ", "F"), ("", None), ("x", None)],
)  # fmt: skip
def test_normalise_sex(text: str, sex: str | None) -> None:
    assert normalise_sex(text) == sex


def test_split_full_name_takes_the_last_word_as_family_only_when_it_looks_like_one() -> None:
    five = split_full_name("محمد محمد علي نوري العبيدي")
    assert (five.given, five.father, five.grandfather, five.rest, five.family) == (
        "محمد", "محمد", "علي", ("نوري",), "العبيدي",
    )  # fmt: skip
    latin = split_full_name("SARDAR KARWAN SHWAN AL TALABANI")
    assert (latin.given, latin.father, latin.grandfather, latin.rest, latin.family) == (
        "sardar", "karwan", "shwan", (), "talabani",
    )  # fmt: skip
    four = split_full_name("ئاراس نەوزاد ڕێبوار دیار")
    assert (four.family, four.rest) == ("", ("ديار",))
    three = split_full_name("زهراء سجاد غازي")
    assert (three.given, three.father, three.grandfather, three.family, three.rest) == (
        "زهرا", "سجاد", "غازي", "", (),
    )  # fmt: skip
    assert split_full_name("Abd al-Rahman Ali Hussein").given == "abdrahman"


# --------------------------------------------------------------------------------------------------
# Engine


@pytest.fixture(scope="module")
def linked() -> pd.DataFrame:
    return link_records(_read("linkage_left.csv"), _read("linkage_right.csv")).matches_frame()


def test_link_finds_every_true_pair(linked: pd.DataFrame) -> None:
    found = set(zip(linked["left_id"], linked["right_id"], strict=True))
    assert found >= TRUE_LINKS


def test_link_keeps_siblings_and_father_and_son_apart(linked: pd.DataFrame) -> None:
    found = set(zip(linked["left_id"], linked["right_id"], strict=True))
    # Siblings of L01 (L02, L03), of L14 (L15) and L19/L20; L07 is L06's son; R16 and R17 are nobody here.
    assert {
        ("L02", "R01"),
        ("L03", "R01"),
        ("L15", "R11"),
        ("L14", "R18"),
        ("L20", "R15"),
        ("L19", "R19"),
    }.isdisjoint(found)
    assert {pair for pair in found if pair[0] == "L07" or pair[1] in {"R16", "R17"}} == set()


def test_link_keeps_twins_apart(linked: pd.DataFrame) -> None:
    assert ("L05", "R03") not in set(zip(linked["left_id"], linked["right_id"], strict=True))


def test_link_explains_each_pair_by_comparison() -> None:
    result = link_records(_read("linkage_left.csv"), _read("linkage_right.csv"))
    pair = next(p for p in result.matches() if (p.left_id, p.right_id) == ("L01", "R01"))
    by_name = {e.comparison: e for e in pair.explanation}
    assert by_name["given"].level == "same"  # Yaseen and ياسين share the strict key
    assert by_name["given"].match_weight > 0
    assert by_name["phone"].level == "same"
    assert by_name["dob"].level == "exact"
    assert by_name["national_id"].level == "missing"
    assert by_name["national_id"].match_weight == 0.0
    assert all(p.match_probability < 0.9 or p.outranked_by for p in result.for_review())
    assert all(p.is_match and p.outranked_by is None for p in result.matches())


def test_dedupe_clusters_the_same_person_and_nobody_else() -> None:
    left = _read("linkage_left.csv")
    right = _read("linkage_right.csv").rename(columns={"record_id": "record_id"})
    records = pd.concat([left, right.assign(record_id="X" + right["record_id"])], ignore_index=True)
    result = dedupe_records(records, settings=LinkageSettings())
    clusters = {tuple(c) for c in result.clusters() if len(c) > 1}
    expected = {(left_id, "X" + right_id) for left_id, right_id in TRUE_LINKS}
    assert expected <= clusters | {("L04", "X" + "R03")}
    assert sum(len(c) for c in result.clusters()) == len(records)


def test_progress_is_reported_by_stage() -> None:
    stages: list[str] = []
    link_records(
        _read("linkage_left.csv"), _read("linkage_right.csv"), progress=lambda s, d, t: stages.append(s)
    )
    assert stages[0] == "features"
    assert "training" in stages
    assert stages[-1] == "scoring"


def test_settings_refuse_a_review_threshold_above_the_match_threshold() -> None:
    with pytest.raises(ValueError, match="Thresholds"):
        LinkageSettings(match_threshold=0.5, review_threshold=0.8)


# --------------------------------------------------------------------------------------------------
# The command


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_command_links_two_files(tmp_path: Path) -> None:
    out, review = tmp_path / "matches.csv", tmp_path / "review.csv"
    call_command(
        "link", str(DATA / "linkage_left.csv"), str(DATA / "linkage_right.csv"), "--out", str(out),
        "--review-out", str(review),
    )  # fmt: skip
    rows = _rows(out)
    assert list(rows[0]) == ["left_id", "right_id", "match_probability"]
    assert {(r["left_id"], r["right_id"]) for r in rows} >= TRUE_LINKS
    assert all(float(r["match_probability"]) >= 0.9 for r in rows)


def test_command_dedupes_and_writes_clusters(tmp_path: Path) -> None:
    records = _read("linkage_left.csv")
    source = tmp_path / "in.csv"
    pd.concat([records, records.iloc[[0, 3]].assign(record_id=["D01", "D04"])]).to_csv(source, index=False)
    out, clusters = tmp_path / "pairs.csv", tmp_path / "clusters.csv"
    call_command("link", "--dedupe", str(source), "--out", str(out), "--clusters", str(clusters))
    pairs = {(r["id_1"], r["id_2"]) for r in _rows(out)}
    assert {("D01", "L01"), ("D04", "L04")} <= pairs
    cluster_rows = _rows(clusters)
    assert list(cluster_rows[0]) == ["cluster_id", "record_id"]
    assert len(cluster_rows) == len(records) + 2
    by_cluster: dict[str, set[str]] = {}
    for row in cluster_rows:
        by_cluster.setdefault(row["cluster_id"], set()).add(row["record_id"])
    assert {"D01", "L01"} in by_cluster.values()


@pytest.mark.parametrize("encoding", ["cp1256", "utf-16"])
def test_command_reads_windows_1256_and_utf16(tmp_path: Path, encoding: str) -> None:
    left = tmp_path / "left.csv"
    left.write_bytes((DATA / "linkage_left.csv").read_text(encoding="utf-8").replace("ۆ", "و").replace("ە", "ه")
                     .replace("ڵ", "ل").replace("ی", "ي").replace("ئ", "ي").replace("ێ", "ي").replace("ک", "ك")
                     .replace("گ", "ك").encode(encoding))  # fmt: skip
    out = tmp_path / "out.csv"
    call_command("link", str(left), str(DATA / "linkage_right.csv"), "--out", str(out))
    assert ("L01", "R01") in {(r["left_id"], r["right_id"]) for r in _rows(out)}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"record_id,given_name\nA1,Ali\n", "full_name"),
        (b"id,full_name\nA1,Ali\n", "record_id"),
        ("record_id,full_name\nA1,علي\nA1,حسن\n".encode(), "repeated: A1"),
        (b"record_id,full_name\n", "no records"),
    ],
)
def test_command_refuses_bad_input_and_writes_nothing(tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError, match=message):
        call_command("link", str(bad), str(DATA / "linkage_right.csv"), "--out", str(out))
    assert not out.exists()


def test_command_refuses_an_unreadable_encoding(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CommandError):
        call_command("link", "--dedupe", str(bad), "--out", str(tmp_path / "out.csv"))
    assert not (tmp_path / "out.csv").exists()


def test_blocking_keys_survive_swapped_names_and_one_wrong_digit() -> None:
    from awda.exchange.linkage import feature_frame

    frame = feature_frame(
        [
            {"record_id": "1", "full_name": "Jack Steinert", "given_name": "Jack", "family_name": "Steinert",
             "national_id": "8930836"},
            {"record_id": "2", "full_name": "Steinert Jack", "given_name": "Steinert", "family_name": "Jack",
             "national_id": "8938036"},
            {"record_id": "3", "full_name": "Jack", "national_id": "123"},
        ]
    )  # fmt: skip
    assert frame.loc[0, "name_set"] == frame.loc[1, "name_set"]
    assert frame.loc[0, "given_skel"] != frame.loc[1, "given_skel"]
    # Two neighbouring digits swapped in the middle: the head (first three of seven) is intact.
    assert frame.loc[0, "national_id_head"] == frame.loc[1, "national_id_head"] == "893"
    assert frame.loc[0, "national_id_tail"] != frame.loc[1, "national_id_tail"]
    assert frame.loc[2, "name_set"] is None and frame.loc[2, "national_id_head"] is None


def test_u_probabilities_leave_out_the_matches_among_random_pairs() -> None:
    from awda.exchange.linkage.engine import _without_matches_in_u

    model = {
        "probability_two_random_records_match": 0.001,
        "comparisons": [
            {
                "comparison_levels": [
                    {"is_null_level": True, "sql_condition": "x"},
                    {"m_probability": 0.9, "u_probability": 0.002},
                    {"m_probability": 0.9, "u_probability": 0.0005},
                    {"m_probability": 0.5, "u_probability": 0.5, "fix_u_probability": True},
                ]
            }
        ],
    }
    levels = _without_matches_in_u(model)["comparisons"][0]["comparison_levels"]
    assert levels[1]["u_probability"] == pytest.approx((0.002 - 0.0009) / 0.999)
    assert levels[2]["u_probability"] == pytest.approx(0.00005)  # at most ten times smaller
    assert levels[3]["u_probability"] == 0.5


def _level(
    comparison: str,
    left: dict[str, str],
    right: dict[str, str],
    counts: tuple[int, int] = (1, 1),
    skeleton_counts: tuple[int, int] = (1, 1),
) -> str:
    """The level a comparison gives one pair of records, evaluated by DuckDB as Splink does.

    ``counts`` are how often each record's spelling of its given name occurs in the data, and
    ``skeleton_counts`` how often its skeleton across scripts does (engine._count_names); the other
    name positions count once.
    """
    import duckdb

    from awda.exchange.linkage import feature_frame
    from awda.exchange.linkage.engine import COMPARISONS

    frames = [
        feature_frame([{"record_id": "x", **r}]).assign(
            given_count=c, given_xcount=x, father_count=1, father_xcount=1, grandfather_count=1,
            grandfather_xcount=1,
        )
        for r, c, x in zip((left, right), counts, skeleton_counts, strict=True)
    ]  # fmt: skip
    connection = duckdb.connect()
    # One pair, its columns named as Splink names them.
    connection.register("pair", pd.concat([frames[0].add_suffix("_l"), frames[1].add_suffix("_r")], axis=1))
    levels = next(c for c in COMPARISONS if c.name == comparison).levels
    cases = " ".join(f"WHEN {lv.sql} THEN '{lv.key}'" for lv in levels if lv.sql != "ELSE")
    return str(connection.execute(f"SELECT CASE {cases} ELSE 'different' END FROM pair").fetchall()[0][0])  # noqa: S608


def test_a_rare_spelling_one_letter_from_a_common_given_name_is_a_typo() -> None:
    common, rare = {"full_name": "محمد علي حسين"}, {"full_name": "مخمد علي حسين"}
    assert _level("given", common, rare, counts=(400, 1)) == "rare_typo"
    # Two spellings both in common use are two names (احمد/محمد).
    assert _level("given", common, {"full_name": "احمد علي حسين"}, counts=(400, 300)) == "different"


def test_a_four_word_names_last_word_is_not_a_great_grandfather_when_it_is_the_others_family_name() -> None:
    four = {"full_name": "علي حسن كاظم جبار"}
    five = {"full_name": "علي حسن كاظم عباس جبار", "family_name": "جبار"}
    assert _level("great_grandfather", four, five) == "missing"
    assert _level(
        "great_grandfather", {"full_name": "علي حسن كاظم جبار"}, {"full_name": "علي حسن كاظم عباس"}
    ) in {
        "different",
        "similar",
    }


def test_a_rare_romanisation_one_consonant_from_a_common_name_is_a_typo() -> None:
    arabic, latin = {"full_name": "مصطفى علي حسين"}, {"full_name": "MOSTSFA ALI HUSSEIN"}
    assert _level("given", arabic, latin, counts=(300, 1), skeleton_counts=(400, 1)) == "rare_typo"
    # Every romanisation is rare on its own: what counts across scripts is the skeleton's frequency.
    assert _level("given", arabic, latin, counts=(300, 1), skeleton_counts=(400, 300)) == "different"


def test_kurdish_names_agree_with_their_romanisations() -> None:
    # ە is a vowel (Nawzad, Bakhtiyar), ژ is romanised zh or j (Zhyan, Jian).
    assert (
        _level("given", {"full_name": "نەوزاد کاروان"}, {"full_name": "NAWZAD KARWAN"}) == "transliteration"
    )
    assert _level("given", {"full_name": "ژیان کاروان"}, {"full_name": "Jian Karwan"}) == "transliteration"
    assert (
        _level("given", {"full_name": "ژیان کاروان"}, {"full_name": "ZHYAN KARWAN"}) == "same"
    )  # strict keys
    assert _level(
        "lineage", {"full_name": "هێمن ڕێبوار بەختیار"}, {"full_name": "Hemin Rebwar Bakhtiyar"}
    ) == ("variants")
    kurdish = {
        "given_name": "شوان",
        "father_name": "کاروان",
        "grandfather_name": "ئازاد",
        "family_name": "هەورامی",
    }
    assert _level("family", kurdish, {"full_name": "Shwan Karwan Azad Al-Hawrami"}) == "transliteration"
    # Between two Arabic-script spellings ە is still the ه an Arabic keyboard writes for it.
    assert _level("given", {"full_name": "بەختیار کاروان"}, {"full_name": "بهختيار کاروان"}) == "same"


def test_a_phone_shared_by_two_people_born_in_different_years_is_a_family_phone() -> None:
    person = {"full_name": "علي حسن كاظم", "phone": "07701234567"}
    assert _level(
        "phone", {**person, "date_of_birth": "1990-05-17"}, {**person, "date_of_birth": "2004-03-02"}
    ) == ("household")
    # One date a placeholder, or both the same year: the number still speaks for the person.
    assert _level(
        "phone", {**person, "date_of_birth": "1990-05-17"}, {**person, "date_of_birth": "2004-01-01"}
    ) == ("same")
    assert _level(
        "phone", {**person, "date_of_birth": "1990-05-17"}, {**person, "date_of_birth": "1990-05-18"}
    ) == ("same")


def test_kurdish_names_and_their_romanisations_are_compared_without_a_shared_date() -> None:
    from awda.exchange.linkage import feature_frame
    from awda.exchange.linkage.engine import BLOCKING_RULES

    left = feature_frame([{"record_id": "1", "full_name": "هێمن کاروان بەختیار هەورامی"}]).iloc[0]
    right = feature_frame([{"record_id": "2", "full_name": "HEMIN KARWAN BAKHTIYAR AL-HAWRAMI"}]).iloc[0]
    rules = [r for r in BLOCKING_RULES if all(left[c] is not None and left[c] == right[c] for c in r)]
    assert rules == [("given_xskel", "father_xskel", "grandfather_xskel")]


def test_the_python_date_agreement_is_the_engines_date_comparison() -> None:
    """dates.dob_agreement (pages, exports) and the engine's SQL levels must not drift apart."""
    import itertools

    import duckdb

    from awda.exchange.linkage import feature_frame
    from awda.exchange.linkage.engine import COMPARISONS

    dates = ["1990-05-17", "1990-01-01", "1990-07-01", "1990", "1990-17-05", "17/05/1990", "1990-05-18",
             "1990-05-07", "1990-07-05", "1990-11-02", "1991-05-17", "1989-02-03", "2005-05-17", ""]  # fmt: skip
    pairs = list(itertools.product(dates, repeat=2))
    frames = [
        feature_frame(
            [{"record_id": str(i), "full_name": "علي حسن", "date_of_birth": d} for i, d in enumerate(side)]
        )
        for side in zip(*pairs, strict=True)
    ]
    connection = duckdb.connect()
    connection.register("pair", pd.concat([frames[0].add_suffix("_l"), frames[1].add_suffix("_r")], axis=1))
    levels = next(c for c in COMPARISONS if c.name == "dob").levels
    cases = " ".join(f"WHEN {lv.sql} THEN '{lv.key}'" for lv in levels if lv.sql != "ELSE")
    sql = f"SELECT CASE {cases} ELSE 'different' END FROM pair"  # noqa: S608 (the engine's own levels)
    engine = [row[0] for row in connection.execute(sql).fetchall()]
    python = [dob_agreement(parse_date_of_birth(a), parse_date_of_birth(b)) for a, b in pairs]
    assert [(p, e) for p, e in zip(python, engine, strict=True) if p != e] == []
    assert len(set(python)) == 9  # every level is reached


def test_a_letter_dropped_from_a_fathers_name_is_a_variant_not_another_father() -> None:
    assert _level("lineage", {"full_name": "علي محمد حسين"}, {"full_name": "علي محد حسين"}) == "variants"
    assert (
        _level("lineage", {"full_name": "علي محمد حسين"}, {"full_name": "علي احمد حسين"}) == "father_differs"
    )


# --------------------------------------------------------------------------------------------------
# Competition between candidates


def _person(**values: object) -> dict[str, object]:
    from awda.exchange.linkage.competition import COLUMNS

    return {column: values.get(column) for column in COLUMNS}


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ({"given_n": "علي", "given_skel": "l", "given_xskel": "l"},
         {"given_n": "حسن", "given_skel": "hsn", "given_xskel": "hsn"}, "given"),
        # A slip of the keyboard, or the same name across scripts, is not another person.
        ({"given_n": "محمد", "given_skel": "mhmd"}, {"given_n": "محمدد", "given_skel": "mhmdd"}, None),
        ({"given_n": "نهوزاد", "given_skel": "nhdd", "given_xskel": "ndd"},
         {"given_n": "nawzad", "given_skel": "ndd", "given_xskel": "ndd"}, None),
        ({"dob": "1990-05-17", "dob_month": 5, "dob_day": 17, "dob_placeholder": False},
         {"dob": "1991-02-03", "dob_month": 2, "dob_day": 3, "dob_placeholder": False}, "dob"),
        ({"dob": "1990-05-07", "dob_month": 5, "dob_day": 7, "dob_placeholder": False},
         {"dob": "1990-07-05", "dob_month": 7, "dob_day": 5, "dob_placeholder": False}, None),
        ({"dob": "1990-05-17", "dob_month": 5, "dob_day": 17, "dob_placeholder": False},
         {"dob": "1990-01-01", "dob_month": 1, "dob_day": 1, "dob_placeholder": True}, None),
        ({"dob": "1990-05-17", "dob_month": 5, "dob_day": 17, "dob_placeholder": False}, {}, None),
        ({"mother_skel": "dnb", "mother_xskel": "dnb", "mother_tr": "zinb"},
         {"mother_skel": "mrm", "mother_xskel": "mrm", "mother_tr": "mrim"}, "mother"),
        ({"family_skel": "jbr", "family_xskel": "jbr", "family_tr": "jburi"},
         {"family_skel": "bdr", "family_xskel": "bdr", "family_tr": "abidi"}, "family"),
        ({"family_skel": "hhrm", "family_xskel": "hrm", "family_tr": "hawrami"},
         {"family_skel": "hrm", "family_xskel": "hrm", "family_tr": "hawramy"}, None),
        ({"national_id": "199012345678"}, {"national_id": "199012345687"}, None),
        ({"national_id": "199012345678"}, {"national_id": "200155512345"}, "national_id"),
    ],
)  # fmt: skip
def test_two_records_contradict_each_other_only_on_plainly_different_details(
    a: dict[str, object], b: dict[str, object], expected: str | None
) -> None:
    from awda.exchange.linkage.competition import contradiction

    assert contradiction(_person(**a), _person(**b)) == expected


def _competition_result() -> tuple[object, pd.DataFrame]:
    from awda.exchange.linkage.engine import COMPARISONS, LinkageResult, _compete

    born = {"dob_placeholder": False}
    right = pd.DataFrame(
        [
            {"unique_id": "R1", **_person(dob="1990-05-17", dob_month=5, dob_day=17, **born)},
            {"unique_id": "R2", **_person(dob="1992-11-02", dob_month=11, dob_day=2, **born)},
            {"unique_id": "R3", **_person(dob="1980-03-03", dob_month=3, dob_day=3, **born)},
            {"unique_id": "R4", **_person()},  # the same person as R3 for all anyone can tell
        ]
    )
    left = pd.DataFrame([{"unique_id": u, **_person()} for u in ("L1", "L2")])
    pairs = pd.DataFrame(
        {
            "left_id": ["L1", "L1", "L2", "L2"],
            "right_id": ["R1", "R2", "R3", "R4"],
            "match_probability": [0.999, 0.95, 0.999, 0.97],
            "match_weight": [10.0, 4.2, 10.0, 5.0],
            **{f"gamma_{c.name}": [-1] * 4 for c in COMPARISONS},
            **{f"mw_{c.name}": [0.0] * 4 for c in COMPARISONS},
        }
    )
    settings = LinkageSettings()
    return LinkageResult("link", settings, _compete(pairs, [left, right], settings)), pairs


def test_of_two_candidates_that_are_two_people_only_the_better_matches() -> None:
    result, _ = _competition_result()
    matched = {(p.left_id, p.right_id) for p in result.matches()}  # type: ignore[attr-defined]
    assert matched == {("L1", "R1"), ("L2", "R3"), ("L2", "R4")}
    review = result.for_review()  # type: ignore[attr-defined]
    assert [(p.left_id, p.right_id, p.outranked_by, p.outranked_on, p.is_match) for p in review] == [
        ("L1", "R2", "R1", "dob", False)
    ]


def _candidates(weights: list[float]) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """L1 with candidates R1 and R2 (two people: other full dates of birth) and L2 with R3 and R4 (maybe one
    person, its two records); L3 and R5 have no other candidate."""
    born = {"dob_placeholder": False}
    right = pd.DataFrame(
        [
            {"unique_id": "R1", **_person(dob="1990-05-17", dob_month=5, dob_day=17, **born)},
            {"unique_id": "R2", **_person(dob="1992-11-02", dob_month=11, dob_day=2, **born)},
            {"unique_id": "R3", **_person(dob="1980-03-03", dob_month=3, dob_day=3, **born)},
            {"unique_id": "R4", **_person()},
            {"unique_id": "R5", **_person()},
        ]
    )
    left = pd.DataFrame([{"unique_id": u, **_person()} for u in ("L1", "L2", "L3")])
    pairs = pd.DataFrame(
        {
            "left_id": ["L1", "L1", "L2", "L2", "L3"],
            "right_id": ["R1", "R2", "R3", "R4", "R5"],
            "match_weight": weights,
        }
    )
    return pairs, [left, right]


def test_a_candidates_rivals_are_the_other_candidates_that_are_plainly_other_people() -> None:
    from awda.exchange.linkage.competition import rival_odds

    pairs, features = _candidates([3.0, 1.0, 4.0, 2.0, 5.0])
    left, right = rival_odds(pairs, features)
    # R1 and R2 are two people: each is the other's rival for L1 (odds 2 ** weight). R3 and R4 may be
    # one person's two records: no rivals. No record on the right has a second candidate.
    assert left.tolist() == [2.0, 8.0, 0.0, 0.0, 0.0]
    assert right.tolist() == [0.0] * 5


def test_a_pair_gains_when_neither_record_has_a_rival_and_loses_by_its_rivals_odds() -> None:
    import math

    from awda.exchange.linkage.engine import COMPARISONS, LinkageResult, _one_to_one

    pairs, features = _candidates([3.0, 1.0, 4.0, 2.0, 5.0])
    pairs["match_probability"] = 0.0  # recomputed from the weights
    settings = LinkageSettings(match_threshold=0.9, review_threshold=0.5)
    # 40 % and 20 % of each side's records have a partner on the other side.
    frame = _one_to_one(pairs, features, (0.4, 0.2), settings)
    alone = -math.log2(0.6 * 0.8)
    expected = {
        ("L3", "R5"): 5.0 + alone,
        ("L2", "R3"): 4.0 + alone,
        ("L2", "R4"): 2.0 + alone,
        ("L1", "R1"): 3.0 - math.log2((0.6 + 2.0) * 0.8),
        # ("L1", "R2"): 1.0 - log2((0.6 + 8) * 0.8) = -1.8 bits, probability 0.22: below review, dropped.
    }
    assert list(zip(frame["left_id"], frame["right_id"], strict=True)) == list(expected)
    assert frame["match_weight"].tolist() == pytest.approx(list(expected.values()))
    assert frame["match_probability"].tolist() == pytest.approx([1 / (1 + 2**-w) for w in expected.values()])
    assert frame["rivals"].tolist() == [False, False, False, True]
    # The pair page explains the adjustment as one more line of weights.
    for c in COMPARISONS:
        frame[f"gamma_{c.name}"], frame[f"mw_{c.name}"] = -1, 0.0
    frame["outranked_by"], frame["outranked_on"] = None, None
    pair = LinkageResult("link", settings, frame).pairs()[3]
    assert (pair.left_id, pair.right_id) == ("L1", "R1")
    assert (pair.explanation[-1].comparison, pair.explanation[-1].level) == ("candidates", "rivals")
    assert pair.explanation[-1].match_weight == pytest.approx(-math.log2(2.6 * 0.8), abs=0.01)


def test_the_default_prior_of_a_small_run_follows_its_sizes() -> None:
    from awda.exchange.linkage.engine import _scaled_prior

    # Estimated at 12,600 × 12,800: a monthly file of 500 against a registry of a million is 78 times
    # less likely to hold a given pair of records; against a registry of 500, 26 times more likely.
    assert _scaled_prior(3e-5, [12_600, 12_800], [500, 1_000_000]) == pytest.approx(3e-5 * 12_800 / 1_000_000)
    assert _scaled_prior(3e-5, [12_600, 12_800], [500, 500]) == pytest.approx(3e-5 * 12_800 / 500)
    assert _scaled_prior(1e-5, [12_600], [101]) == pytest.approx(1e-5 * 12_599 / 100)
    assert _scaled_prior(1e-4, [12_600, 12_800], [2, 1]) == 0.5  # at most one in two
    assert _scaled_prior(3e-5, None, [2, 1]) == 3e-5  # a defaults file without sizes


def test_a_small_run_takes_the_default_prior_scaled_to_its_sizes() -> None:
    import json

    from awda.exchange.linkage.engine import _DEFAULTS

    defaults = json.loads(_DEFAULTS.read_text(encoding="utf-8"))
    left, right = _read("linkage_left.csv"), _read("linkage_right.csv")
    result = link_records(left, right)
    expected = (
        defaults["prior"]["link_only"] * max(defaults["sizes"]["link_only"]) / max(len(left), len(right))
    )
    assert result.model["probability_two_random_records_match"] == pytest.approx(expected)


def test_pairs_are_scored_down_to_where_the_bonus_could_still_reach_review() -> None:
    from awda.exchange.linkage.engine import _scoring_floor

    # Review from 0.3 (odds 3:7); the largest bonus multiplies odds by 1 / (0.6 × 0.8).
    assert _scoring_floor(LinkageSettings(review_threshold=0.3), (0.4, 0.2)) == pytest.approx(
        (3 / 7 * 0.48) / (1 + 3 / 7 * 0.48)
    )
    assert _scoring_floor(LinkageSettings(review_threshold=0.3), (0.0, 0.0)) == pytest.approx(0.3)
    # Only certain pairs, review included: nothing to lift.
    assert _scoring_floor(LinkageSettings(match_threshold=1.0, review_threshold=1.0), (0.4, 0.2)) == 1.0


def test_the_one_to_one_bonus_is_capped_whatever_the_prior() -> None:
    from awda.exchange.linkage.engine import _matched_shares

    assert _matched_shares({"probability_two_random_records_match": 3e-5}, 10_000, 20_000) == pytest.approx(
        (0.5, 0.3)
    )
    assert _matched_shares({"probability_two_random_records_match": 1e-6}, 1000, 2000) == pytest.approx(
        (0.002, 0.001)
    )
    assert _matched_shares({}, 1000, 2000) == (0.0, 0.0)


def test_the_command_writes_why_a_pair_above_the_threshold_waits_for_review(tmp_path: Path) -> None:
    from awda.exchange.management.commands.link import _write_pairs

    result, _ = _competition_result()
    path = tmp_path / "review.csv"
    _write_pairs(result.review_frame(), str(path), ("left_id", "right_id"), reasons=True)  # type: ignore[attr-defined]
    assert _rows(path) == [
        {"left_id": "L1", "right_id": "R2", "match_probability": "0.950000", "outranked_by": "R1",
         "outranked_on": "dob"}
    ]  # fmt: skip


def test_every_level_of_the_engine_has_a_label_in_three_languages() -> None:
    from django.utils import translation

    from awda.exchange.explain import LEVELS
    from awda.exchange.linkage.engine import CANDIDATE_LEVELS, COMPARISONS

    labels = {level.label for comparison in COMPARISONS for level in comparison.levels}
    labels |= {label for _, label in CANDIDATE_LEVELS.values()}
    assert labels - set(LEVELS) == set()
    for language in ("ar", "ckb"):
        with translation.override(language):
            untranslated = {label for label in labels if str(LEVELS[label]) == label}
        assert untranslated == set(), language


def test_a_pair_outranked_by_a_better_candidate_says_why_on_its_page() -> None:
    from django.utils import translation

    from awda.exchange.explain import explanation_rows, outranked_reason

    explanation = [
        {"comparison": "given", "level": "same", "level_label": "same name", "match_weight": 5.0},
        {"comparison": "competition", "level": "outranked", "contradicts_on": "dob"},
    ]
    with translation.override("en"):
        assert [row["comparison"] for row in explanation_rows(explanation)] == ["Given name"]
        # With the pair's match weight, the rows start from the prior and add up to it.
        rows = explanation_rows(explanation, match_weight=-10.5)
        assert [(r["comparison"], r["weight"], r["direction"]) for r in rows] == [
            ("Starting point", -15.5, "against"),
            ("Given name", 5.0, "for"),
        ]
        assert outranked_reason(explanation) == (
            "A better candidate has another full date of birth than this record: at most one of them can be "
            "the same person."
        )
    assert outranked_reason(explanation[:1]) is None


def test_the_cheap_one_slip_test_agrees_with_the_edit_distance() -> None:
    import itertools

    import duckdb

    from awda.exchange.linkage.engine import _one_slip

    words = ["محمد", "ممحد", "محمدد", "مممد", "احمد", "حمد", "علي", "عي", "لعي", "ab", "ba", "a", "حسين",
             "حسن", "xمحمد", "محمدx", "عبدالله", "عبداللة", "mohammed", "muhammed", "mohamed"]  # fmt: skip
    pairs = pd.DataFrame(list(itertools.product(words, words)), columns=["a", "b"])
    connection = duckdb.connect()
    connection.register("pairs", pairs)
    rows = connection.execute(
        f"SELECT a, b, {_one_slip('a', 'b')}, damerau_levenshtein(a, b) <= 1 FROM pairs"  # noqa: S608
    ).fetchall()
    assert [(a, b) for a, b, fast, slow in rows if fast != slow] == []
    assert sum(fast for _, _, fast, _ in rows) > len(words)  # not only the identical pairs


def test_a_mothers_name_in_another_script_agrees_but_the_same_consonants_in_arabic_do_not() -> None:
    assert _level("mother", {"full_name": "x", "mother_name": "شیلان"}, {"full_name": "x", "mother_name": "Shilan"}) in {
        "same", "transliteration",
    }  # fmt: skip
    assert _level(
        "mother", {"full_name": "x", "mother_name": "حسنة"}, {"full_name": "x", "mother_name": "حسينة"}
    ) == ("consonants")
