"""Loading the registry's reference data (ISCO-08 occupations, default categories) in data migrations."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"


def load_occupations(occupation_model: Any) -> int:
    with (DATA_DIR / "isco08.csv").open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: (int(r["level"]), r["code"]))
    for row in rows:
        occupation_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "level": int(row["level"]),
                "parent_id": row["parent"] or None,
                "name_en": row["title_en"],
                "name_ar": row["title_ar"],
                "name_ckb": row["title_ckb"],
                "skill_level": int(row["skill_level"]),
            },
        )
    return len(rows)


def load_default_categories(category_model: Any) -> int:
    specs = json.loads((DATA_DIR / "default_categories.json").read_text(encoding="utf-8"))
    for order, spec in enumerate(specs):
        category_model.objects.update_or_create(
            code=spec["code"],
            defaults={
                "kind": spec["kind"],
                "order": order,
                "condition": spec["condition"],
                **{f"name_{lang}": spec["name"][lang] for lang in ("ar", "ckb", "en")},
                **{f"description_{lang}": spec["description"][lang] for lang in ("ar", "ckb", "en")},
            },
        )
    return len(specs)
