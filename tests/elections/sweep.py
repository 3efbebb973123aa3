"""Authorization sweep cases of the elections' portal URLs (see tests/sweep.py)."""

from django.utils import timezone

from association.governance.choices import MeetingStatus
from tests.sweep import ALL_PERSONAS, EVERYONE, Case

STAFF = {"officer", "staff"}


def _election(cast, status="nominating", paper=False, voter=False):
    from association.elections.models import Election, ElectionOfficial, Position, Voter
    from association.governance.models import Office
    from tests.governance.factories import AttendeeFactory, MeetingFactory, ensure_reference_data

    ensure_reference_data()
    meeting = MeetingFactory()
    attendee = AttendeeFactory(meeting=meeting, user=cast.org_admin_a, checked_in_at=timezone.now())
    election = Election.objects.create(
        meeting=meeting,
        title="理事会选举",
        status=status,
        online=True,
        paper=paper,
        base="roll",
        threshold_numerator=1,
        threshold_denominator=2,
        threshold_strict=True,
        mode="either",
        complaint_days=0,
        term_years=5,
        candidate_good_standing=True,
        counted_on=timezone.localdate() if status in ("counted", "certified") else None,
        complaint_until=timezone.localdate() if status in ("counted", "certified") else None,
    )
    Position.objects.create(election=election, office=Office.objects.get(code="president"), seats=1)
    ElectionOfficial.objects.create(election=election, user=cast.station_worker, role="teller")
    ElectionOfficial.objects.create(election=election, user=cast.expert, role="scrutineer")
    if voter:
        Voter.objects.create(election=election, attendee=attendee, user=cast.org_admin_a, name="甲")
    return election


def _batch(cast, status="entering"):
    from association.elections.models import PaperBatch

    election = _election(cast, status="closed", paper=True)
    return PaperBatch.objects.create(election=election, number=1, status=status).pk


def _closed_meeting(cast):
    from tests.governance.factories import MeetingFactory

    return MeetingFactory(status=MeetingStatus.CLOSED, closed_at=timezone.now()).pk


CASES = {
    "elections:election_list": Case(allowed=ALL_PERSONAS),
    "elections:election_detail": Case(
        make=lambda cast: {"pk": _election(cast).pk},
        allowed=STAFF | {"org_admin_a", "station_worker", "expert"},  # voter, teller, scrutineer
    ),
    "elections:election_action": Case(
        make=lambda cast: {"pk": _election(cast).pk},
        allowed=STAFF,
        method="post",
        data={"action": "open"},
    ),
    "elections:vote": Case(
        make=lambda cast: {"pk": _election(cast, status="voting", voter=True).pk},
        allowed={"org_admin_a"},
    ),
    "elections:tracking_codes": Case(
        make=lambda cast: {"pk": _election(cast, status="closed").pk}, allowed=EVERYONE
    ),
    "elections:results": Case(
        make=lambda cast: {"pk": _election(cast, status="counted").pk}, allowed=STAFF
    ),
    "elections:results_pdf": Case(
        make=lambda cast: {"pk": _election(cast, status="counted").pk}, allowed=STAFF
    ),
    "elections:batch_list": Case(
        make=lambda cast: {"pk": _election(cast, status="closed", paper=True).pk},
        allowed=STAFF | {"station_worker", "expert"},
    ),
    "elections:batch_enter": Case(
        make=lambda cast: {"pk": _batch(cast)}, allowed={"station_worker"}
    ),
    "elections:batch_confirm": Case(
        make=lambda cast: {"pk": _batch(cast, status="agreed")}, allowed={"expert"}, method="post"
    ),
    "elections:meeting_minutes_pdf": Case(
        make=lambda cast: {"pk": _closed_meeting(cast)}, allowed=STAFF
    ),
    "elections:filing_pack": Case(make=lambda cast: {"pk": _closed_meeting(cast)}, allowed=STAFF),
}
