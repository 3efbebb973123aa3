"""The regions' ancestry (the codes of a region's ancestors and its own), kept by triggers."""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0004_changes_by_part"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="region",
            name="update_update",
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="region",
            trigger=pgtrigger.compiler.Trigger(
                name="update_update",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition='WHEN (OLD."code" IS DISTINCT FROM (NEW."code") OR OLD."id" IS DISTINCT FROM (NEW."id") OR OLD."kind" IS DISTINCT FROM (NEW."kind") OR OLD."level" IS DISTINCT FROM (NEW."level") OR OLD."name" IS DISTINCT FROM (NEW."name") OR OLD."parent_id" IS DISTINCT FROM (NEW."parent_id") OR OLD."source" IS DISTINCT FROM (NEW."source") OR OLD."updated_at" IS DISTINCT FROM (NEW."updated_at"))',
                    func='INSERT INTO "regions_regionevent" ("code", "id", "kind", "level", "name", "parent_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "source", "updated_at") VALUES (NEW."code", NEW."id", NEW."kind", NEW."level", NEW."name", NEW."parent_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."source", NEW."updated_at"); RETURN NULL;',
                    hash="1acd2280addfdebb46826291718223bfa973ef58",
                    operation="UPDATE",
                    pgid="pgtrigger_update_update_ce801",
                    table="regions_region",
                    when="AFTER",
                ),
            ),
        ),
        migrations.AddField(
            model_name="region",
            name="ancestry",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=12),
                default=list,
                editable=False,
                size=None,
                verbose_name="区划代码路径",
            ),
        ),
        # The regions there are take their ancestry once, from the top down, before the
        # triggers are made and while the history trigger ignores the column.
        migrations.RunSQL(
            "WITH RECURSIVE tree(id, ancestry) AS ("
            " SELECT id, ARRAY[code]::varchar[] FROM regions_region WHERE parent_id IS NULL"
            " UNION ALL"
            " SELECT r.id, (tree.ancestry || r.code)::varchar[]"
            " FROM regions_region r JOIN tree ON r.parent_id = tree.id"
            ") UPDATE regions_region r SET ancestry = tree.ancestry FROM tree WHERE tree.id = r.id",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            model_name="region",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["ancestry"], name="regions_region_ancestry"
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="region",
            trigger=pgtrigger.compiler.Trigger(
                name="regions_region_ancestry",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="NEW.ancestry := COALESCE((SELECT p.ancestry FROM regions_region p WHERE p.id = NEW.parent_id), '{}') || NEW.code; RETURN NEW;",
                    hash="4ddcfa8fa4fd86c31587edf526f05e1b6b502d8e",
                    operation='INSERT OR UPDATE OF "code", "parent_id", "ancestry"',
                    pgid="pgtrigger_regions_region_ancestry_45339",
                    table="regions_region",
                    when="BEFORE",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="region",
            trigger=pgtrigger.compiler.Trigger(
                name="regions_region_ancestry_passed_on",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    condition="WHEN (OLD.ancestry IS DISTINCT FROM NEW.ancestry)",
                    func="UPDATE regions_region SET ancestry = NEW.ancestry || code WHERE parent_id = NEW.id; RETURN NULL;",
                    hash="3239ed27a51d4aac9866dbbc659bd3f0faf757d3",
                    operation='UPDATE OF "code", "parent_id", "ancestry"',
                    pgid="pgtrigger_regions_region_ancestry_passed_on_19f8f",
                    table="regions_region",
                    when="AFTER",
                ),
            ),
        ),
    ]
