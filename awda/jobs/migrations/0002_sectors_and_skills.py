"""ISIC Rev.4 sections and the shared skills vocabulary, from ``awda/jobs/data``."""

import json
from pathlib import Path
from typing import Any

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps: Any, schema_editor: Any) -> None:
    Sector = apps.get_model("jobs", "Sector")
    SkillTerm = apps.get_model("jobs", "SkillTerm")
    for item in json.loads((DATA / "isic4_sections.json").read_text(encoding="utf-8")):
        Sector.objects.update_or_create(
            code=item["code"],
            defaults={k: item[k] for k in ("name_ar", "name_ckb", "name_en")},
        )
    for item in json.loads((DATA / "skills.json").read_text(encoding="utf-8")):
        SkillTerm.objects.update_or_create(
            code=item["code"],
            defaults={
                "name_ar": item["name_ar"],
                "name_ckb": item["name_ckb"],
                "name_en": item["name_en"],
                "synonyms": item.get("synonyms", []),
                "isco": item.get("isco", []),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("jobs", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
