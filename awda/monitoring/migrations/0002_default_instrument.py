"""Loads Awda's default reintegration survey (modelled on the structure of IOM's RSS; weights are Awda's)."""

from django.db import migrations

from awda.monitoring.loaders import load_default_instrument


def load(apps, schema_editor):
    load_default_instrument(apps.get_model("monitoring", "Instrument"), apps.get_model("monitoring", "InstrumentVersion"))


def unload(apps, schema_editor):
    apps.get_model("monitoring", "InstrumentVersion").objects.filter(instrument__code="awda-reintegration").delete()
    apps.get_model("monitoring", "Instrument").objects.filter(code="awda-reintegration").delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
