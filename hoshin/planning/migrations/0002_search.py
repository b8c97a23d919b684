from django.db import migrations

from hoshin.core.search import SearchIndex


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [
        SearchIndex("planning_risk", ["reference", "title", "description", "cause", "consequence"]),
        SearchIndex("planning_objective", ["reference", "title", "description"]),
        SearchIndex("planning_kpi", ["reference", "title", "description", "data_source"]),
        SearchIndex("planning_changeplan", ["reference", "title", "purpose"]),
    ]
