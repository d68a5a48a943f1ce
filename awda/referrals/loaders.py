"""Loads Awda's default case-response rules (data; administrators change them with ``awda load_response_rules``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEFAULT_RULES = Path(__file__).parent / "data" / "response_rules.json"


def default_rules() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(DEFAULT_RULES.read_text(encoding="utf-8"))
    return data


def load_default_rules(model: Any) -> None:
    """Create or refresh the default rules on a model class (also the historical one of a migration)."""
    for order, rule in enumerate(default_rules()):
        model.objects.update_or_create(
            code=rule["code"],
            defaults={
                "name_ar": rule["name_ar"],
                "name_ckb": rule["name_ckb"],
                "name_en": rule["name_en"],
                "condition": rule["condition"],
                "proposes": rule["proposes"],
                "order": order,
            },
        )
