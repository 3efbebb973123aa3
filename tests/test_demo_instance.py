"""`setup_instance --demo` on an empty database gives every app its demo, twice over.

Each app tests its own demo on hand-made fixtures; this test runs the real thing, on
the real division codes, so a demo that silently skips itself is caught here.
"""

from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_it_seeds_the_whole_demo_and_a_second_run_changes_nothing(settings):
    settings.DEBUG = True  # seed_demo refuses to run in production (DEBUG=0)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("setup_instance", demo=True, stdout=StringIO())

    from association.accounts.models import User
    from association.finance.models import Voucher
    from association.governance.choices import OfficeCode
    from association.governance.selectors import current_officeholder
    from association.regions.models import Region
    from members.models import Organisation, SocialWorker
    from projects.models import Application, Expert, PracticeBase
    from stations.models import Station

    assert Region.objects.townships().count() == 106
    assert Organisation.objects.count() == 23
    assert 500 <= SocialWorker.objects.count() <= 560
    assert Station.objects.filter(closed_on__isnull=True).count() == 106
    assert Expert.objects.count() == 57
    assert PracticeBase.objects.count() == 22
    assert Application.objects.count() >= 220
    assert current_officeholder(OfficeCode.PRESIDENT).holder_name == "李伟"
    assert Voucher.objects.exists()

    counts = (User.objects.count(), SocialWorker.objects.count(), Voucher.objects.count())
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert (User.objects.count(), SocialWorker.objects.count(), Voucher.objects.count()) == counts
    assert "staff@demo.xcsw.org.cn" in output.getvalue()

    out = StringIO()
    call_command("verify_ledger", stdout=out)  # exits non-zero (SystemExit) on a breach
