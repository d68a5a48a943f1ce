"""The table of the database cache (AWDA_CACHE_URL=database), created whatever the setting is now, so that
switching to it later needs no step of its own."""

from typing import Any

from django.core.management import call_command
from django.db import migrations

# As settings.CACHE_TABLE was when this migration was written: a migration does not follow settings.
TABLE = "awda_cache"


def create(apps: Any, schema_editor: Any) -> None:
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_notification")]

    operations = [migrations.RunPython(create, drop)]
