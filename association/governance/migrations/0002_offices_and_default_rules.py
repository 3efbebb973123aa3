"""The association's offices and the rules that apply until a charter says otherwise."""

import datetime

from django.db import migrations

OFFICES = [
    # code, name, usual seats, officer (负责人), order
    ("president", "会长", 1, True, 10),
    ("vice_president", "副会长", 3, True, 20),
    ("secretary_general", "秘书长", 1, True, 30),
    ("standing_council", "常务理事", 7, False, 40),
    ("council", "理事", 21, False, 50),
    ("supervisor", "监事", 1, False, 60),
]


def forwards(apps, schema_editor):
    Office = apps.get_model("governance", "Office")
    RuleSet = apps.get_model("governance", "RuleSet")
    for code, name, seats, officer, order in OFFICES:
        Office.objects.update_or_create(
            code=code, defaults={"name": name, "seats": seats, "is_officer": officer, "order": order}
        )
    if not RuleSet.objects.exists():
        RuleSet.objects.create(
            name="通行议事规则（章程通过前适用）",
            effective_from=datetime.date(2000, 1, 1),
        )


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
