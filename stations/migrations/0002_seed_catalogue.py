"""Seed the service areas and kinds of work that monthly reports count (data, not code)."""

from django.db import migrations


def seed(apps, schema_editor):
    from stations.choices import DEFAULT_SERVICE_AREAS, DEFAULT_WORK_KINDS

    using = schema_editor.connection.alias
    for name, entries in (("ServiceArea", DEFAULT_SERVICE_AREAS), ("WorkKind", DEFAULT_WORK_KINDS)):
        model = apps.get_model("stations", name)
        known = set(model.objects.using(using).values_list("code", flat=True))
        model.objects.using(using).bulk_create(
            model(code=code, name=label, order=order)
            for order, (code, label) in enumerate(entries, start=1)
            if code not in known
        )


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
