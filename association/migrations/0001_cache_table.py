"""The table of the default cache (login rate limits, used TOTP codes): see settings.CACHES.

`migrate` creates it wherever the portal runs, so no deployment step can forget
`createcachetable`; the command is idempotent and follows the table named in settings.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
