"""Whether a staff assignment's worker is certified, kept on the assignment by triggers."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0010_report_region_code"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="staffassignment",
            name="update_update",
        ),
        migrations.AddField(
            model_name="staffassignment",
            name="certified",
            field=models.BooleanField(default=False, editable=False, verbose_name="持证"),
        ),
        # The assignments there are take their worker's qualification once, while no history
        # trigger would record it.
        migrations.RunSQL(
            "UPDATE stations_staffassignment a SET certified = (w.qualification <> 'none')"
            " FROM members_socialworker w WHERE w.id = a.worker_id",
            migrations.RunSQL.noop,
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="staffassignment",
            trigger=pgtrigger.compiler.Trigger(
                name="stations_assignment_certified",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="NEW.certified := COALESCE((SELECT w.qualification <> 'none' FROM members_socialworker w WHERE w.id = NEW.worker_id), false); RETURN NEW;",
                    hash="a6026830e481859838beb62a4bb2ce2f9b98ff8c",
                    operation='INSERT OR UPDATE OF "worker_id", "certified"',
                    pgid="pgtrigger_stations_assignment_certified_48b6c",
                    table="stations_staffassignment",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="staffassignment",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."ends_on" IS DISTINCT FROM (NEW."ends_on") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."role" IS DISTINCT FROM (NEW."role") OR OLD."starts_on" IS DISTINCT FROM (NEW."starts_on") OR OLD."station_id" IS DISTINCT FROM (NEW."station_id") OR OLD."worker_id" IS DISTINCT FROM (NEW."worker_id"))',
                    func='INSERT INTO "stations_staffassignmentevent" ("ends_on", "id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "role", "starts_on", "station_id", "worker_id") VALUES (NEW."ends_on", NEW."id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."role", NEW."starts_on", NEW."station_id", NEW."worker_id"); RETURN NULL;',
                    hash="cb4a7da0e92716787e0a5ffa32ec65ac3d5c549c",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_669a0",
                    table="stations_staffassignment",
                    when="AFTER",
                ),
            ),
        ),
        # A worker whose qualification changes gives it to their assignments (the members' app
        # knows nothing of stations, so this trigger is put on its table here).
        migrations.RunSQL(
            [
                "CREATE FUNCTION stations_assignment_requalified() RETURNS trigger AS $$"
                " BEGIN"
                " UPDATE stations_staffassignment SET certified = (NEW.qualification <> 'none')"
                " WHERE worker_id = NEW.id AND certified <> (NEW.qualification <> 'none');"
                " RETURN NULL;"
                " END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER stations_assignment_requalified"
                " AFTER UPDATE OF qualification ON members_socialworker"
                " FOR EACH ROW WHEN (OLD.qualification IS DISTINCT FROM NEW.qualification)"
                " EXECUTE FUNCTION stations_assignment_requalified()",
            ],
            [
                "DROP TRIGGER stations_assignment_requalified ON members_socialworker",
                "DROP FUNCTION stations_assignment_requalified()",
            ],
        ),
    ]
