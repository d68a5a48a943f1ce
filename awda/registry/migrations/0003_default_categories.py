"""Loads Awda's default categories and vulnerability flags with their rules (editable afterwards)."""

from django.db import migrations

from awda.registry.loaders import load_default_categories


def load(apps, schema_editor):
    load_default_categories(apps.get_model("registry", "Category"))


def unload(apps, schema_editor):
    apps.get_model("registry", "Category").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_load_occupations")]
    operations = [migrations.RunPython(load, unload)]
