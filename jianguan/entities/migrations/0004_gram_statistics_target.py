"""PostgreSQL only: keep most-common-value statistics for thousands of grams, so the planner knows that a common
gram has tens of thousands of entries (and walks the index instead of a bitmap scan that reads the table)."""
from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE entities_namegram ALTER COLUMN gram SET STATISTICS 5000")


class Migration(migrations.Migration):

    dependencies = [("entities", "0003_name_gram_stats")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
