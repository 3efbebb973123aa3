"""The demo: the founding congress, its documents, its election and the council after it,
run through the services on their dates (association.demo's clock)."""

import datetime

from django.core.management import call_command

from association.accounts import demo as accounts_demo
from association.elections import demo as elections_demo
from association.elections.models import Election
from association.governance import demo as governance_demo
from association.governance.choices import VersionStatus
from association.governance.models import Attendee, DocumentVersion, Meeting, Term
from association.governance.selectors import current_officeholder, officeholders_current
from members import demo as members_demo
from members.models import DuesStandard, Membership
from tests.governance.factories import ensure_reference_data


def test_it_seeds_the_founding_congress_once_through_the_services(db):
    ensure_reference_data()
    call_command("load_regions", "association/regions/data/xuchang_townships.csv", verbosity=0)
    accounts_demo.seed()
    members_demo.seed_register()
    for _ in range(2):
        governance_demo.seed()
        elections_demo.seed()
    congress = Meeting.objects.get(title=governance_demo.CONGRESS_TITLE)
    assert congress.status == "closed"
    assert congress.opened_at.date() == governance_demo.CONGRESS_DAY
    # The roll is the founders admitted that morning (no membership starts earlier).
    roll = Attendee.objects.filter(meeting=congress)
    assert roll.count() == 86
    assert roll.filter(checked_in_at__isnull=False).count() == 82
    assert roll.filter(representative__isnull=False).exists()
    assert not Membership.objects.filter(member_since__lt=governance_demo.CONGRESS_DAY).exists()
    adopted = DocumentVersion.objects.filter(status=VersionStatus.ADOPTED)
    assert sorted(v.document.kind for v in adopted) == ["charter", "election_rules", "fund_rules"]
    assert all("82 ≥ 86 × 2/3" in v.adopted_by.arithmetic for v in adopted)
    dues_motion = congress.motions.get(title=governance_demo.DUES_MOTION)
    assert dues_motion.passed and dues_motion.vote_method == "secret"
    assert set(DuesStandard.objects.values_list("effective_from", flat=True)) == {
        governance_demo.CONGRESS_DAY
    }
    president = current_officeholder("president")
    assert president.holder_name == "李伟" and president.user.email == "officer@demo.xcsw.org.cn"
    assert str(president.starts_on) == "2023-07-08" and str(president.ends_on) == "2028-07-08"
    secretary = current_officeholder("secretary_general")
    assert secretary.user.email == "secretary@demo.xcsw.org.cn"
    current = officeholders_current()
    assert current.filter(office__code="council").count() == 21
    assert current.filter(office__code="vice_president").count() == 3
    election = Election.objects.get()
    assert election.status == "certified"
    assert election.certified_at.date() == datetime.date(2023, 7, 8)
    council = Meeting.objects.get(title=elections_demo.COUNCIL_MEETING_TITLE)
    assert council.status == "closed"
    assert Attendee.objects.filter(meeting=council).count() == 21
    assert council.motions.filter(passed=True).count() == 2
    assert Term.objects.count() == 26
    seminar = Meeting.objects.get(title=governance_demo.SEMINAR_TITLE)
    assert seminar.status == "closed" and seminar.talks.count() == 5
