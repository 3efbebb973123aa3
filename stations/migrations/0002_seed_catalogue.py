"""Seed the service areas and kinds of work that monthly reports count (data, not code)."""

from django.db import migrations


def seed(apps, schema_editor):
    from stations.catalogue import ensure_catalogue

    ensure_catalogue(
        apps.get_model("stations", "ServiceArea"),
        apps.get_model("stations", "WorkKind"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
