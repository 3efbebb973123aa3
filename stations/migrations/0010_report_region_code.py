"""The monthly reports' township code (the lists' order key), kept by triggers."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0009_covering_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="servicereport",
            name="update_update",
        ),
        migrations.RemoveIndex(
            model_name="servicereport",
            name="stations_report_month",
        ),
        migrations.AddField(
            model_name="servicereport",
            name="region_code",
            field=models.CharField(
                default="", editable=False, max_length=12, verbose_name="乡镇区划代码"
            ),
        ),
        # The reports there are take their station's township code once, before the index is
        # built and while no history trigger would record the change.
        migrations.RunSQL(
            "UPDATE stations_servicereport r SET region_code = g.code"
            " FROM stations_station s JOIN regions_region g ON g.id = s.region_id"
            " WHERE s.id = r.station_id",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="servicereport",
            index=models.Index(
                fields=["-month", "region_code", "station"],
                include=("status", "first_submitted_at"),
                name="stations_report_month",
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="servicereport",
            trigger=pgtrigger.compiler.Trigger(
                name="stations_report_region_code",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="NEW.region_code := COALESCE((SELECT g.code FROM stations_station s JOIN regions_region g ON g.id = s.region_id WHERE s.id = NEW.station_id), ''); RETURN NEW;",
                    hash="117ac7f99bee6bb06d7b145c53a5e6095b6ce83b",
                    operation='INSERT OR UPDATE OF "station_id", "region_code"',
                    pgid="pgtrigger_stations_report_region_code_88156",
                    table="stations_servicereport",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="servicereport",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."created_at" IS DISTINCT FROM (NEW."created_at") OR OLD."first_submitted_at" IS DISTINCT FROM (NEW."first_submitted_at") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."is_outlier" IS DISTINCT FROM (NEW."is_outlier") OR OLD."month" IS DISTINCT FROM (NEW."month") OR OLD."narrative" IS DISTINCT FROM (NEW."narrative") OR OLD."outlier_note" IS DISTINCT FROM (NEW."outlier_note") OR OLD."review_comment" IS DISTINCT FROM (NEW."review_comment") OR OLD."reviewed_at" IS DISTINCT FROM (NEW."reviewed_at") OR OLD."reviewed_by_id" IS DISTINCT FROM (NEW."reviewed_by_id") OR OLD."station_id" IS DISTINCT FROM (NEW."station_id") OR OLD."status" IS DISTINCT FROM (NEW."status") OR OLD."submitted_at" IS DISTINCT FROM (NEW."submitted_at") OR OLD."submitted_by_id" IS DISTINCT FROM (NEW."submitted_by_id") OR OLD."total_activities" IS DISTINCT FROM (NEW."total_activities") OR OLD."total_person_times" IS DISTINCT FROM (NEW."total_person_times") OR OLD."updated_at" IS DISTINCT FROM (NEW."updated_at") OR OLD."volunteers" IS DISTINCT FROM (NEW."volunteers"))',
                    func='INSERT INTO "stations_servicereportevent" ("created_at", "first_submitted_at", "id", "is_outlier", "month", "narrative", "outlier_note", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "review_comment", "reviewed_at", "reviewed_by_id", "station_id", "status", "submitted_at", "submitted_by_id", "total_activities", "total_person_times", "updated_at", "volunteers") VALUES (NEW."created_at", NEW."first_submitted_at", NEW."id", NEW."is_outlier", NEW."month", NEW."narrative", NEW."outlier_note", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."review_comment", NEW."reviewed_at", NEW."reviewed_by_id", NEW."station_id", NEW."status", NEW."submitted_at", NEW."submitted_by_id", NEW."total_activities", NEW."total_person_times", NEW."updated_at", NEW."volunteers"); RETURN NULL;',
                    hash="b15379b55a95fb4b0cd113775c1d513a478b2788",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_5bbf3",
                    table="stations_servicereport",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="station",
            trigger=pgtrigger.compiler.Trigger(
                name="stations_station_moves_reports",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id)",
                    func="UPDATE stations_servicereport SET region_code = g.code FROM regions_region g WHERE g.id = NEW.region_id AND station_id = NEW.id; RETURN NULL;",
                    hash="74103270f7bf8b85f20c73ac36dcd84042c458e2",
                    operation='UPDATE OF "region_id"',
                    pgid="pgtrigger_stations_station_moves_reports_95461",
                    table="stations_station",
                    when="AFTER",
                ),
            ),
        ),
        # A township whose code is corrected gives its stations' reports the new code (the
        # regions' app knows nothing of stations, so this trigger is put on its table here).
        migrations.RunSQL(
            [
                "CREATE FUNCTION stations_report_region_recoded() RETURNS trigger AS $$"
                " BEGIN"
                " UPDATE stations_servicereport r SET region_code = NEW.code"
                " FROM stations_station s WHERE s.region_id = NEW.id AND r.station_id = s.id;"
                " RETURN NULL;"
                " END $$ LANGUAGE plpgsql",
                "CREATE TRIGGER stations_report_region_recoded AFTER UPDATE OF code ON regions_region"
                " FOR EACH ROW WHEN (OLD.code IS DISTINCT FROM NEW.code)"
                " EXECUTE FUNCTION stations_report_region_recoded()",
            ],
            [
                "DROP TRIGGER stations_report_region_recoded ON regions_region",
                "DROP FUNCTION stations_report_region_recoded()",
            ],
        ),
        migrations.AlterModelOptions(
            name="servicereport",
            options={
                "ordering": ["-month", "region_code", "station_id"],
                "verbose_name": "服务月报",
                "verbose_name_plural": "服务月报",
            },
        ),
    ]
