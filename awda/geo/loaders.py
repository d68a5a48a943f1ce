"""Loading the geography tables shipped in ``awda/geo/data`` (used by the data migrations)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_countries(country_model: Any) -> int:
    rows = read_rows("countries.csv")
    country_model.objects.bulk_create(
        [country_model(**row) for row in rows],
        update_conflicts=True,
        unique_fields=["iso2"],
        update_fields=["iso3", "numeric", "name_ar", "name_ckb", "name_en"],
    )
    return len(rows)


def load_admin_areas(governorate_model: Any, district_model: Any, sub_district_model: Any) -> int:
    rows = read_rows("iraq_admin.csv")
    names = ("name_ar", "name_ckb", "name_en")
    by_level: dict[str, list[dict[str, str]]] = {"1": [], "2": [], "3": []}
    for row in rows:
        by_level[row["level"]].append(row)
    governorate_model.objects.bulk_create(
        [governorate_model(pcode=r["pcode"], **{n: r[n] for n in names}) for r in by_level["1"]],
        update_conflicts=True,
        unique_fields=["pcode"],
        update_fields=list(names),
    )
    district_model.objects.bulk_create(
        [
            district_model(pcode=r["pcode"], governorate_id=r["parent_pcode"], **{n: r[n] for n in names})
            for r in by_level["2"]
        ],
        update_conflicts=True,
        unique_fields=["pcode"],
        update_fields=[*names, "governorate"],
    )
    sub_district_model.objects.bulk_create(
        [
            sub_district_model(pcode=r["pcode"], district_id=r["parent_pcode"], **{n: r[n] for n in names})
            for r in by_level["3"]
        ],
        update_conflicts=True,
        unique_fields=["pcode"],
        update_fields=[*names, "district"],
    )
    return len(rows)
