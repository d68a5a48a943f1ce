"""Loads the ISCO-08 occupations (major groups to unit groups) with titles in three languages."""

from django.db import migrations

from awda.registry.loaders import load_occupations


def load(apps, schema_editor):
    load_occupations(apps.get_model("registry", "Occupation"))


def unload(apps, schema_editor):
    apps.get_model("registry", "Occupation").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
