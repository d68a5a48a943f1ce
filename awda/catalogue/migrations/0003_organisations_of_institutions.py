"""Every existing institution becomes an organisation of the catalogue (later ones through a receiver)."""

from django.db import migrations

TYPES = {
    "ministry": "ministry",
    "government_agency": "government_agency",
    "ngo": "ngo",
    "international_organisation": "international_organisation",
    "private_company": "private_company",
    "community_organisation": "community_organisation",
    "academia": "academia",
}


def create(apps, schema_editor):
    Institution = apps.get_model("accounts", "Institution")
    Organisation = apps.get_model("catalogue", "Organisation")
    for institution in Institution.objects.all():
        Organisation.objects.get_or_create(
            institution=institution,
            defaults={
                "code": institution.code,
                "type": TYPES.get(institution.type, "government_agency"),
                "name_ar": institution.name_ar,
                "name_ckb": institution.name_ckb,
                "name_en": institution.name_en,
                "is_active": institution.is_active,
            },
        )


def remove(apps, schema_editor):
    apps.get_model("catalogue", "Organisation").objects.filter(institution__isnull=False).delete()


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0002_taxonomy"), ("accounts", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
