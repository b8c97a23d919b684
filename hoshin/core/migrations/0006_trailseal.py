"""The chain of seals over the trail's streams, append-only at the database like the trail."""

from django.db import migrations, models

SQLITE = [
    """CREATE TRIGGER core_trailseal_no_update BEFORE UPDATE ON core_trailseal
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;""",
    """CREATE TRIGGER core_trailseal_no_delete BEFORE DELETE ON core_trailseal
       BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER core_trailseal_no_update",
    "DROP TRIGGER core_trailseal_no_delete",
]
# hoshin_append_only() is created by migration 0002.
POSTGRES = [
    """CREATE TRIGGER core_trailseal_append_only BEFORE UPDATE OR DELETE ON core_trailseal
       FOR EACH ROW EXECUTE FUNCTION hoshin_append_only();""",
    """CREATE TRIGGER core_trailseal_no_truncate BEFORE TRUNCATE ON core_trailseal
       FOR EACH STATEMENT EXECUTE FUNCTION hoshin_append_only();""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER core_trailseal_append_only ON core_trailseal",
    "DROP TRIGGER core_trailseal_no_truncate ON core_trailseal",
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, []))


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(vendor, []))


class Migration(migrations.Migration):
    dependencies = [("core", "0005_user_time_zone")]

    operations = [
        migrations.CreateModel(
            name="TrailSeal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(verbose_name="sealed at (UTC)")),
                ("events", models.PositiveBigIntegerField(verbose_name="events")),
                ("streams", models.PositiveIntegerField(verbose_name="streams")),
                ("last_event", models.PositiveBigIntegerField(verbose_name="last event id")),
                (
                    "heads",
                    models.JSONField(default=list, verbose_name="stream heads sealed"),
                ),
                ("prev_digest", models.CharField(max_length=64)),
                (
                    "digest",
                    models.CharField(max_length=64, unique=True, verbose_name="digest"),
                ),
            ],
            options={
                "verbose_name": "trail seal",
                "verbose_name_plural": "trail seals",
                "ordering": ["id"],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
