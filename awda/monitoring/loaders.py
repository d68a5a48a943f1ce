"""Loads Awda's default survey instrument (data; institutions load their own with `awda instruments load`)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

DEFAULT_INSTRUMENT = Path(__file__).parent / "data" / "instruments" / "awda-reintegration.json"


def default_instrument() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEFAULT_INSTRUMENT.read_text(encoding="utf-8"))
    return data


def checksum(definition: Any) -> str:
    return hashlib.sha256(json.dumps(definition, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def load_default_instrument(instrument_model: Any, version_model: Any) -> None:
    """Version 1 of the default instrument, on model classes (also a migration's historical ones)."""
    data = default_instrument()
    instrument, _created = instrument_model.objects.get_or_create(code=data["code"])
    if version_model.objects.filter(instrument=instrument).exists():
        return
    version_model.objects.create(
        instrument=instrument,
        number=1,
        status="published",
        definition=data,
        checksum=checksum(data),
        name_ar=data["name"]["ar"],
        name_ckb=data["name"]["ckb"],
        name_en=data["name"]["en"],
    )


DEFAULT_WARNINGS = Path(__file__).parent / "data" / "warning_rules.json"


def load_default_warning_rules(model: Any) -> None:
    for rule in json.loads(DEFAULT_WARNINGS.read_text(encoding="utf-8")):
        model.objects.update_or_create(
            code=rule["code"], defaults={k: v for k, v in rule.items() if k != "code"}
        )
