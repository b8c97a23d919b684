# The fields a signature binds, signatures superseded, and the trail's actions for a
# refused signature password and a superseded signature (issue 9). ``covers`` is
# nullable without a default, so SQLite adds the column in place: the append-only
# triggers on core_signature stay.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_user_must_change_password_unknownsignins"),
    ]

    operations = [
        migrations.AddField(
            model_name="signature",
            name="covers",
            field=models.JSONField(blank=True, null=True, verbose_name="signed fields"),
        ),
        migrations.AlterField(
            model_name="trailevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("create", "Created"),
                    ("change", "Changed"),
                    ("transition", "Status changed"),
                    ("signature", "Signed"),
                    ("signature_refused", "Signature refused"),
                    ("superseded", "Signature superseded"),
                    ("comment", "Commented"),
                    ("attachment", "Attached a file"),
                    ("void", "Voided"),
                    ("login", "Signed in"),
                    ("login_failed", "Failed sign-in"),
                    ("logout", "Signed out"),
                    ("export", "Exported"),
                    ("download", "Downloaded"),
                    ("acknowledge", "Read and understood"),
                    ("import", "Imported"),
                    ("remind", "Reminded"),
                ],
                max_length=20,
                verbose_name="action",
            ),
        ),
        migrations.CreateModel(
            name="Supersession",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "at",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="superseded at (UTC)"
                    ),
                ),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                (
                    "by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "signature",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="supersession",
                        to="core.signature",
                    ),
                ),
            ],
            options={"verbose_name": "superseded signature", "ordering": ["at", "id"]},
        ),
    ]
