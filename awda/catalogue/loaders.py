"""The taxonomy of services shipped with Awda (data/taxonomy.json), for its data migration and for tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

TAXONOMY = Path(__file__).resolve().parent / "data" / "taxonomy.json"


def taxonomy() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(TAXONOMY.read_text(encoding="utf-8"))
    return data


def load_taxonomy(model: Any) -> None:
    """Create or refresh the categories and subcategories (``model`` may be a migration's historical model)."""
    for order, top in enumerate(taxonomy(), start=1):
        parent, _created = model.objects.update_or_create(
            code=top["code"],
            defaults={
                "parent": None,
                "need_category": top["need"],
                "order": order * 10,
                **{f"name_{lang}": text for lang, text in top["name"].items()},
            },
        )
        for sub_order, sub in enumerate(top["sub"], start=1):
            model.objects.update_or_create(
                code=sub["code"],
                defaults={
                    "parent": parent,
                    "need_category": top["need"],
                    "order": order * 10 + sub_order,
                    **{f"name_{lang}": text for lang, text in sub["name"].items()},
                },
            )
