"""The audit trail refuses UPDATE and DELETE at the database; the role groups exist."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER core_trailevent_no_update BEFORE UPDATE ON core_trailevent
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;""",
    """CREATE TRIGGER core_trailevent_no_delete BEFORE DELETE ON core_trailevent
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;""",
    """CREATE TRIGGER core_signature_no_update BEFORE UPDATE ON core_signature
       BEGIN SELECT RAISE(ABORT, 'signatures cannot be changed'); END;""",
    """CREATE TRIGGER core_signature_no_delete BEFORE DELETE ON core_signature
       BEGIN SELECT RAISE(ABORT, 'signatures cannot be changed'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER core_trailevent_no_update",
    "DROP TRIGGER core_trailevent_no_delete",
    "DROP TRIGGER core_signature_no_update",
    "DROP TRIGGER core_signature_no_delete",
]
POSTGRES = [
    """CREATE FUNCTION hoshin_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$;""",
    """CREATE TRIGGER core_trailevent_append_only BEFORE UPDATE OR DELETE ON core_trailevent
       FOR EACH ROW EXECUTE FUNCTION hoshin_append_only();""",
    """CREATE TRIGGER core_trailevent_no_truncate BEFORE TRUNCATE ON core_trailevent
       FOR EACH STATEMENT EXECUTE FUNCTION hoshin_append_only();""",
    """CREATE TRIGGER core_signature_append_only BEFORE UPDATE OR DELETE ON core_signature
       FOR EACH ROW EXECUTE FUNCTION hoshin_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER core_trailevent_append_only ON core_trailevent",
    "DROP TRIGGER core_trailevent_no_truncate ON core_trailevent",
    "DROP TRIGGER core_signature_append_only ON core_signature",
    "DROP FUNCTION hoshin_append_only()",
]

ROLES = [
    "top_management",
    "quality_manager",
    "process_owner",
    "internal_auditor",
    "employee",
    "external_auditor",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, []))
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(vendor, []))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(forwards, backwards)]
