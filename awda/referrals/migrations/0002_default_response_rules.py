"""Loads Awda's default case-response rules (documentation first, work for job seekers…), editable afterwards."""

from django.db import migrations

from awda.referrals.loaders import load_default_rules


def load(apps, schema_editor):
    load_default_rules(apps.get_model("referrals", "ResponseRule"))


def unload(apps, schema_editor):
    apps.get_model("referrals", "ResponseRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
