from django.db import migrations

from hoshin.core.search import SearchIndex


class Migration(migrations.Migration):
    dependencies = [("improvement", "0002_status_due_index")]

    operations = [
        SearchIndex(
            "improvement_nonconformity",
            ["reference", "title", "description", "product_ref", "lot_ref"],
        )
    ]
