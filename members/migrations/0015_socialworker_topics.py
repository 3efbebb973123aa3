"""A change to a worker no longer logs a change of the stations' coverage (association.changes)."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0014_certificates_kept"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="socialworker",
            name="members_socialworker_changes",
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="socialworker",
            trigger=pgtrigger.compiler.Trigger(
                name="members_socialworker_changes",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="INSERT INTO association_tablechange (topic) VALUES ('members'), ('members.register'), ('stations'); RETURN NULL;",
                    hash="df7240a9ed7f993ffaacd1017df6e098480c9675",
                    level="STATEMENT",
                    operation="INSERT OR UPDATE OR DELETE OR TRUNCATE",
                    pgid="pgtrigger_members_socialworker_changes_791c3",
                    table="members_socialworker",
                    when="AFTER",
                ),
            ),
        ),
    ]
