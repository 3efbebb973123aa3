"""Seed the chart of accounts, the three statement layouts and the general fund of
民间非营利组织会计制度 (created only where missing; edits are kept)."""

from django.db import migrations


def load(apps, schema_editor):
    from association.finance.chart import chart_load

    chart_load(apps)


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
