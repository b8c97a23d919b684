from django.db import migrations

from hoshin.core.search import SearchIndex

# The usual document types of a QMS and their numbering; quality managers change them
# (and add their own) in the administration.
TYPES = [
    # name, kind, prefix, review months, retention years
    ("Policy", "policy", "POL", 12, None),
    ("QMS scope", "scope", "SCP", 12, None),
    ("Quality manual", "manual", "QM", 24, None),
    ("Procedure", "procedure", "QP", 24, None),
    ("Work instruction", "work_instruction", "WI", 24, None),
    ("Form", "form", "FRM", 36, None),
    ("Specification", "specification", "SPC", 24, None),
    ("Plan", "plan", "PLN", 12, None),
    ("External document", "external", "EXT", 12, None),
    ("Record", "record", "REC", 0, 7),
]


def add_types(apps, schema_editor):
    DocumentType = apps.get_model("support", "DocumentType")
    for name, kind, prefix, review, retention in TYPES:
        DocumentType.objects.get_or_create(
            prefix=prefix,
            defaults={
                "name": name,
                "kind": kind,
                "review_months": review,
                "retention_years": retention,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [
        migrations.RunPython(add_types, migrations.RunPython.noop),
        SearchIndex("support_document", ["reference", "title", "text"]),
    ]
