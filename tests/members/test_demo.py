import time

from association.accounts import demo as accounts_demo
from members import demo
from members.choices import Qualification
from members.models import Membership, Organisation, SocialWorker
from members.selectors import members_overview
from members.validators import validate_credit_code, validate_id_number

from .factories import township


def test_it_seeds_realistic_members_once_and_quickly(db):
    for n in range(6):
        township(name=f"街道{n}", county=["魏都区", "建安区", "禹州市"][n % 3])
    accounts_demo.seed()
    started = time.monotonic()
    demo.seed()
    # The admissions and payments go through the services one by one, on their dates
    # (about 40 founders, 380 admissions, 1,100 payments): slower than bulk rows were.
    assert time.monotonic() - started < 180
    demo.seed()  # idempotent
    assert Organisation.objects.count() == 23
    assert 500 <= SocialWorker.objects.count() <= 540
    for organisation in Organisation.objects.all():
        validate_credit_code(organisation.credit_code)
    for worker in SocialWorker.objects.all()[:50]:
        validate_id_number(worker.id_number)
    certified = dict(
        members_overview().certified_by_year
        and [(year, total) for year, _n, total in members_overview().certified_by_year]
    )
    assert certified[2020] >= 100 and max(certified.values()) >= 500
    assert SocialWorker.objects.filter(qualification=Qualification.SENIOR).exists()
    orgadmin = Organisation.objects.get(admins__user__email="orgadmin@demo.xcsw.org.cn")
    assert orgadmin.memberships.get().number.startswith("XCSW-D-")
    assert SocialWorker.objects.get(user__email="station@demo.xcsw.org.cn").memberships.exists()
    assert Membership.objects.get(person__user__email="applicant@demo.xcsw.org.cn").state == (
        "applied"
    )
