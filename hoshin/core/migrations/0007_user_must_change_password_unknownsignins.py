from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_trailseal"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="must_change_password",
            field=models.BooleanField(
                default=False,
                help_text="The person is asked for a new password at their next sign-in.",
                verbose_name="must change password",
            ),
        ),
        migrations.CreateModel(
            name="UnknownSignIns",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("source", models.CharField(max_length=64, verbose_name="source address")),
                ("period", models.DateTimeField(verbose_name="hour starting (UTC)")),
                ("attempts", models.PositiveIntegerField(default=0, verbose_name="attempts")),
                (
                    "names",
                    models.JSONField(blank=True, default=list, verbose_name="first names tried"),
                ),
                ("first_at", models.DateTimeField(verbose_name="first attempt")),
                ("last_at", models.DateTimeField(verbose_name="last attempt")),
            ],
            options={
                "verbose_name": "failed sign-ins by unknown names",
                "verbose_name_plural": "failed sign-ins by unknown names",
                "ordering": ["-period", "source"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("source", "period"), name="unknown_sign_ins_unique"
                    )
                ],
            },
        ),
    ]
