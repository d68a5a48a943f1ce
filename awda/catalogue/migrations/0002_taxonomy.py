"""The taxonomy of services shipped with Awda (data/taxonomy.json); an administrator may extend it."""

import json
from pathlib import Path

from django.db import migrations

TAXONOMY = Path(__file__).resolve().parent.parent / "data" / "taxonomy.json"


def load(apps, schema_editor):
    ServiceCategory = apps.get_model("catalogue", "ServiceCategory")
    for order, top in enumerate(json.loads(TAXONOMY.read_text(encoding="utf-8")), start=1):
        parent, _ = ServiceCategory.objects.update_or_create(
            code=top["code"],
            defaults={
                "parent": None,
                "need_category": top["need"],
                "order": order * 10,
                **{f"name_{lang}": text for lang, text in top["name"].items()},
            },
        )
        for sub_order, sub in enumerate(top["sub"], start=1):
            ServiceCategory.objects.update_or_create(
                code=sub["code"],
                defaults={
                    "parent": parent,
                    "need_category": top["need"],
                    "order": order * 10 + sub_order,
                    **{f"name_{lang}": text for lang, text in sub["name"].items()},
                },
            )


def unload(apps, schema_editor):
    ServiceCategory = apps.get_model("catalogue", "ServiceCategory")
    codes = []
    for top in json.loads(TAXONOMY.read_text(encoding="utf-8")):
        codes.extend(sub["code"] for sub in top["sub"])
        codes.append(top["code"])
    ServiceCategory.objects.filter(code__in=codes, parent__isnull=False).delete()
    ServiceCategory.objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
