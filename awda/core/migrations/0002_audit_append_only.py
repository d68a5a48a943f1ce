"""On PostgreSQL, a trigger refuses every UPDATE and DELETE of audit rows, whoever asks."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION awda_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % is not allowed on core_auditentry', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER awda_audit_append_only
    BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION awda_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS awda_audit_append_only ON core_auditentry;
DROP FUNCTION IF EXISTS awda_audit_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
