"""Issue 11, finding 3: after the close, whoever holds the database or a pg_dump of it
cannot line the ballots up with the voter register.

The attack: voters cast in a known order (the register's physical order and, before the
fix, its sequential ids give it away); the ballot table was in the same order, so the
k-th ballot in the dump was the k-th voter's. Here 40 voters cast in register order, the
vote closes, and the ballot and mark tables are read the way pg_dump reads them (``COPY
... TO STDOUT``: physical order), with ``ctid``, ``xmin`` and ids.

How the threshold is chosen: under a uniformly random order of 40 ballots, Kendall's
|tau| against any fixed order reaches 0.6 with probability 4.8e-9 (exact, from the
Mahonian numbers: permutations of 40 with at most 156 or at least 624 inversions), so
the five comparisons below together flake less than once in 40 million runs. Casting order
kept (the old behaviour) gives tau = 1.
"""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from association.elections import services
from association.elections.choices import ElectionStatus
from association.elections.models import Ballot, SealedBallot, Voter, VoterRegister

from .factories import ballot_for, election_with, meeting_with_voters, staff_user

N = 40
THRESHOLD = 0.6


def kendall_tau(sequence: list[int]) -> float:
    """Kendall's tau between ``sequence`` and its sorted order (no ties)."""
    n = len(sequence)
    concordant = discordant = 0
    for i in range(n):
        for j in range(i + 1, n):
            if sequence[i] < sequence[j]:
                concordant += 1
            else:
                discordant += 1
    return (concordant - discordant) / (n * (n - 1) / 2)


def dump(table: str, columns: list[str]) -> list[list[str]]:
    """The table's rows as pg_dump writes them: COPY in physical order."""
    sql = f"COPY {table} ({', '.join(columns)}) TO STDOUT"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        data = b"".join(bytes(chunk) for chunk in copy).decode()
    return [line.split("\t") for line in data.splitlines()]


def rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_it_leaves_no_trace_of_the_casting_order_in_the_closed_ballot_tables():
    staff = staff_user()
    meeting, users = meeting_with_voters(N)
    election = election_with(
        meeting, staff, {"council": 3}, {"council": ["甲", "乙", "丙", "丁", "戊"]}
    )
    services.election_open_voting(election=election, by=staff)
    names = ["甲", "乙", "丙", "丁", "戊"]
    codes = []  # codes[k] is the tracking code of the k-th voter to cast
    for k, user in enumerate(users):
        marks = {"council": [names[k % 5], names[(k + 1) % 5]]}
        codes.append(
            services.ballot_cast(election=election, by=user, choices=ballot_for(election, marks))
        )
    position_of = {code: k for k, code in enumerate(codes)}

    # The register is what the attacker lines ballots up against: its physical order is
    # the casting order (that cannot be helped, and tells only who voted when) ...
    turn = {user.pk: k for k, user in enumerate(users)}
    turn_of_voter = {v.pk: turn[v.user_id] for v in Voter.objects.filter(election=election)}
    in_register = rows("SELECT voter_id FROM elections_voterregister ORDER BY ctid")
    assert [turn_of_voter[r[0]] for r in in_register] == list(range(N))
    # ... but its ids are random, not a sequence that would give the order away anyway.
    assert rows(
        "SELECT data_type FROM information_schema.columns"
        " WHERE table_name = 'elections_voterregister' AND column_name = 'id'"
    ) == [("uuid",)]
    register = rows("SELECT id::text, voter_id, xmin::text FROM elections_voterregister")
    by_id = [turn_of_voter[voter_id] for _id, voter_id, _xmin in sorted(register)]
    assert abs(kendall_tau(by_id)) < THRESHOLD, by_id
    register_xmins = {xmin for _id, _voter, xmin in register}

    # While the vote is open, the ballots are sealed: a dump taken now shows neither a
    # tracking code nor the marks, and every sealed ballot has the same size.
    sealed = dump("elections_sealedballot", ["id", "election_id", "sealed"])
    assert len(sealed) == N and not Ballot.objects.exists()
    text = "\n".join("\t".join(row) for row in sealed)
    assert not any(code in text for code in codes)
    assert len({len(row[2]) for row in sealed}) == 1

    services.election_close_voting(election=election, by=staff)

    ballots = dump("elections_ballot", ["id", "election_id", "tracking_code"])
    assert sorted(row[2] for row in ballots) == sorted(codes)
    # 1. The dump's order (= physical order) against the casting order.
    dump_order = [position_of[row[2]] for row in ballots]
    assert abs(kendall_tau(dump_order)) < THRESHOLD, dump_order
    # 2. ctid, read directly, is the same physical order.
    by_ctid = rows(
        "SELECT tracking_code FROM elections_ballot WHERE election_id = %s ORDER BY ctid",
        [election.pk],
    )
    assert [position_of[r[0]] for r in by_ctid] == dump_order
    # 3. The ballots' ids: random, and their order is not the casting order either.
    by_id = [position_of[code] for _id, _e, code in sorted(ballots)]
    assert abs(kendall_tau(by_id)) < THRESHOLD, by_id
    # 4. The marks' dump order, by the ballot each belongs to.
    ballot_code = {row[0]: row[2] for row in ballots}
    marks = dump("elections_ballotmark", ["id", "ballot_id", "candidate_id"])
    assert len(marks) == 2 * N
    mark_order = list(dict.fromkeys(position_of[ballot_code[row[1]]] for row in marks))
    assert abs(kendall_tau(mark_order)) < THRESHOLD, mark_order
    # 5. The marks' ids.
    mark_ids = list(
        dict.fromkeys(position_of[ballot_code[ballot]] for _id, ballot, _c in sorted(marks))
    )
    assert abs(kendall_tau(mark_ids)) < THRESHOLD, mark_ids
    # xmin: every ballot and mark was written by the closing transaction, one that wrote
    # no register row; the sealed ballots (which shared their voters' xmin) are gone.
    xmins = {
        r[0]
        for r in rows(
            "SELECT xmin::text FROM elections_ballot"
            " UNION SELECT xmin::text FROM elections_ballotmark"
        )
    }
    assert len(xmins) == 1 and not xmins & register_xmins
    assert rows("SELECT count(*) FROM elections_sealedballot") == [(0,)]
    # Still counted as before: 甲..戊 each marked by 2 of every 5 voters.
    services.election_count(election=election, by=staff)
    assert sorted(election.positions.get().candidates.values_list("name", "votes")) == sorted(
        (name, 16) for name in names
    )


@pytest.mark.django_db
def test_it_opens_ballots_sealed_before_the_key_was_rotated(settings):
    staff = staff_user()
    meeting, users = meeting_with_voters(2)
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    services.election_open_voting(election=election, by=staff)
    old = settings.SECRET_KEY
    code = services.ballot_cast(
        election=election, by=users[0], choices=ballot_for(election, {"president": ["李伟"]})
    )
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = [old]
    services.election_close_voting(election=election, by=staff)
    assert list(Ballot.objects.values_list("tracking_code", flat=True)) == [code]


@pytest.mark.django_db
def test_it_keeps_the_vote_open_rather_than_lose_a_ballot_it_cannot_open(settings):
    staff = staff_user()
    meeting, users = meeting_with_voters(2)
    election = election_with(meeting, staff, {"president": 1}, {"president": ["李伟", "王芳"]})
    services.election_open_voting(election=election, by=staff)
    services.ballot_cast(
        election=election, by=users[0], choices=ballot_for(election, {"president": ["李伟"]})
    )
    settings.SECRET_KEY = "a-new-key-" + "x" * 50
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(ImproperlyConfigured):
        services.election_close_voting(election=election, by=staff)
    election.refresh_from_db()
    assert election.status == ElectionStatus.VOTING
    assert SealedBallot.objects.count() == 1 and not Ballot.objects.exists()
    assert VoterRegister.objects.count() == 1
