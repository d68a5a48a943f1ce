"""The taxonomy of services shipped with Awda (data/taxonomy.json); an administrator may extend it."""

from django.db import migrations

from awda.catalogue import loaders


def load(apps, schema_editor):
    loaders.load_taxonomy(apps.get_model("catalogue", "ServiceCategory"))


def unload(apps, schema_editor):
    ServiceCategory = apps.get_model("catalogue", "ServiceCategory")
    tops = loaders.taxonomy()
    ServiceCategory.objects.filter(code__in=[sub["code"] for top in tops for sub in top["sub"]]).delete()
    ServiceCategory.objects.filter(code__in=[top["code"] for top in tops]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
