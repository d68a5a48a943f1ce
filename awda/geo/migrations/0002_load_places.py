"""Loads Iraq's governorates, districts and sub-districts (OCHA COD-AB P-codes) and ISO 3166-1 countries."""

from django.db import migrations

from awda.geo.loaders import load_admin_areas, load_countries


def load(apps, schema_editor):
    load_countries(apps.get_model("geo", "Country"))
    load_admin_areas(
        apps.get_model("geo", "Governorate"), apps.get_model("geo", "District"), apps.get_model("geo", "SubDistrict")
    )


def unload(apps, schema_editor):
    for name in ("SubDistrict", "District", "Governorate", "Country"):
        apps.get_model("geo", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
