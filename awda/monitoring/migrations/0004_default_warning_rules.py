"""Loads Awda's default early-warning rules (a score drop, low scores, intention to migrate…), editable afterwards."""

from django.db import migrations

from awda.monitoring.loaders import load_default_warning_rules


def load(apps, schema_editor):
    load_default_warning_rules(apps.get_model("monitoring", "WarningRule"))


def unload(apps, schema_editor):
    apps.get_model("monitoring", "WarningRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0003_early_warning")]
    operations = [migrations.RunPython(load, unload)]
