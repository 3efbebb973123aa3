"""The demo: the founding congress, its documents, its election and the council after it."""

from association.accounts import demo as accounts_demo
from association.elections import demo as elections_demo
from association.elections.models import Election
from association.governance import demo as governance_demo
from association.governance.choices import VersionStatus
from association.governance.models import Attendee, DocumentVersion, Meeting, Term
from association.governance.selectors import current_officeholder, officeholders_current
from tests.governance.factories import ensure_reference_data


def test_it_seeds_the_founding_congress_once(db):
    ensure_reference_data()
    accounts_demo.seed()
    for _ in range(2):
        governance_demo.seed()
        elections_demo.seed()
    congress = Meeting.objects.get(title=governance_demo.CONGRESS_TITLE)
    assert Attendee.objects.filter(meeting=congress).count() == 86
    assert Attendee.objects.filter(meeting=congress, checked_in_at__isnull=False).count() == 82
    adopted = DocumentVersion.objects.filter(status=VersionStatus.ADOPTED)
    assert sorted(v.document.kind for v in adopted) == ["charter", "election_rules", "fund_rules"]
    assert all("82 ≥ 86 × 2/3" in v.adopted_by.arithmetic for v in adopted)
    president = current_officeholder("president")
    assert president.holder_name == "李伟" and president.user.email == "officer@demo.xcsw.org.cn"
    assert str(president.starts_on) == "2023-07-08" and str(president.ends_on) == "2028-07-08"
    current = officeholders_current()
    assert current.filter(office__code="council").count() == 21
    assert current.filter(office__code="vice_president").count() == 3
    assert Election.objects.get().status == "certified"
    council = Meeting.objects.get(title=elections_demo.COUNCIL_MEETING_TITLE)
    assert council.status == "closed"
    assert Attendee.objects.filter(meeting=council).count() == 21
    assert council.motions.filter(passed=True).count() == 2
    assert Term.objects.count() == 26


def test_it_takes_the_congress_roll_from_the_members_demo_representatives(db):
    from django.core.management import call_command

    from members import demo as members_demo

    ensure_reference_data()
    call_command("load_regions", "association/regions/data/xuchang_townships.csv", verbosity=0)
    accounts_demo.seed()
    members_demo.seed()
    governance_demo.seed()
    elections_demo.seed()
    congress = Meeting.objects.get(title=governance_demo.CONGRESS_TITLE)
    roll = Attendee.objects.filter(meeting=congress)
    assert roll.count() == 86
    assert roll.filter(representative__isnull=False).exists()
    assert current_officeholder("president").holder_name == "李伟"
