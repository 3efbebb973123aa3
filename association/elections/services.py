"""Every change of an election's state goes through these functions (one transaction each,
attributed in the history to its actor by :func:`association.services.service`; the reads
they rely on live in :mod:`.selectors`).

:func:`ballot_cast` is the one exception, on purpose: see its docstring."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import require, require_staff
from association.governance.choices import ElectionMode, MeetingStatus
from association.governance.models import Attendee, Meeting, Office
from association.governance.rules import position_outcome
from association.governance.selectors import meeting_quorum
from association.governance.services import office_holders_install
from association.services import service
from association.workflow import transition
from members.models import SocialWorker

from . import documents, sealing, selectors
from .choices import (
    ELECTION_TRANSITIONS,
    BatchStatus,
    ElectionStatus,
    MarkChoice,
    OfficialRole,
    VoteChannel,
)
from .models import (
    WRITE_IN_MAX,
    Ballot,
    BallotMark,
    BallotWriteIn,
    Candidate,
    Election,
    ElectionOfficial,
    PaperBatch,
    Position,
    SealedBallot,
    TallyEntry,
    TallyLine,
    TallyWriteIn,
    Voter,
    VoterRegister,
    WriteInResult,
)
from .permissions import can_certify, can_manage_batches, is_official


def _require_quorum(election: Election, refusal: str) -> None:
    """The meeting must have its quorum under the rules in force; the refusal shows the
    arithmetic (应到，实到，the threshold)."""
    quorum = meeting_quorum(election.meeting)
    if not quorum.reached:
        raise ValidationError(
            _("%(refusal)s：%(arithmetic)s。") % {"refusal": refusal, "arithmetic": quorum.text}
        )


def _lock(election: Election) -> Election:
    return Election.objects.select_for_update().select_related("meeting").get(pk=election.pk)


# --- Setting up -----------------------------------------------------------------------


@service
def election_create(
    *, meeting: Meeting, by, title: str, seats: dict[str, int], online=True, paper=False
) -> Election:
    """An election at ``meeting`` for the offices in ``seats`` (office code → seats),
    with the rules of the meeting copied onto it."""
    require_staff(by)
    meeting = Meeting.objects.select_related("rule_set").get(pk=meeting.pk)
    if not meeting.decides:
        raise ValidationError(_("研讨会不进行选举。"))
    rules = meeting.rule_set
    election = Election(
        meeting=meeting,
        title=title,
        online=online,
        paper=paper,
        base=rules.election_base,
        threshold_numerator=rules.election_numerator,
        threshold_denominator=rules.election_denominator,
        threshold_strict=rules.election_strict,
        mode=rules.election_mode,
        complaint_days=rules.complaint_days,
        term_years=rules.term_years,
        candidate_good_standing=rules.candidate_good_standing,
        candidate_min_qualification=rules.candidate_min_qualification,
        write_ins=rules.write_ins,
    )
    election.full_clean()
    election.save()
    offices = {o.code: o for o in Office.objects.filter(code__in=seats)}
    Position.objects.bulk_create(
        [Position(election=election, office=offices[code], seats=n) for code, n in seats.items()]
    )
    return election


@service
def official_appoint(*, election: Election, by, user, role: str) -> ElectionOfficial:
    require_staff(by)
    official = ElectionOfficial(election=election, user=user, role=role)
    official.full_clean()
    official.save()
    return official


@service
def candidate_nominate(
    *,
    position: Position,
    by,
    name: str,
    nominated_by: str,
    worker: SocialWorker | None = None,
    affiliation: str = "",
    order: int = 100,
) -> Candidate:
    """Nominate a candidate; the eligibility check runs now and its reason is kept."""
    require_staff(by)
    election = _lock(position.election)
    if election.status != ElectionStatus.NOMINATING:
        raise ValidationError(_("提名已截止。"))
    eligible, note = selectors.eligibility(election, worker)
    candidate = Candidate(
        position=position,
        name=name,
        worker=worker,
        affiliation=affiliation,
        nominated_by=nominated_by,
        eligible=eligible,
        eligibility_note=note,
        order=order,
    )
    candidate.full_clean()
    candidate.save()
    return candidate


@service
def candidate_accept(*, candidate: Candidate, by) -> Candidate:
    """The candidate accepts (themselves, or staff recording a written acceptance)."""
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("worker")
        .get(pk=candidate.pk)
    )
    own = candidate.worker is not None and candidate.worker.user_id == by.pk
    if not own:
        require_staff(by)
    if candidate.accepted_at is None:
        candidate.accepted_at = timezone.now()
        candidate.save(update_fields=["accepted_at"])
    return candidate


# --- Voting -------------------------------------------------------------------------


@service
def election_open_voting(*, election: Election, by) -> Election:
    """Open the vote: the voter roll is frozen now, from those checked in at the meeting."""
    election = _lock(election)
    require_staff(by)
    if election.meeting.status != MeetingStatus.OPEN:
        raise ValidationError(_("会议未在进行中，不能开始投票。"))
    _require_quorum(election, _("会议未达到法定人数，不能开始投票"))
    for position in election.positions.select_related("office").annotate(
        on_ballot=Count("candidates", filter=_on_ballot_q())
    ):
        n = position.on_ballot
        if n < 1:
            raise ValidationError(
                _("“%(office)s”没有合格的候选人。") % {"office": position.office.name}
            )
        if election.mode == ElectionMode.COMPETITIVE and n <= position.seats:
            raise ValidationError(
                _("差额选举：“%(office)s”候选人数（%(n)d）须多于应选名额（%(seats)d）。")
                % {"office": position.office.name, "n": n, "seats": position.seats}
            )
        if election.mode == ElectionMode.EQUAL and n != position.seats:
            raise ValidationError(
                _("等额选举：“%(office)s”候选人数（%(n)d）须等于应选名额（%(seats)d）。")
                % {"office": position.office.name, "n": n, "seats": position.seats}
            )
    transition(election, ElectionStatus.VOTING, ELECTION_TRANSITIONS)
    present = Attendee.objects.filter(meeting=election.meeting, checked_in_at__isnull=False)
    Voter.objects.bulk_create(
        [Voter(election=election, attendee=a, user_id=a.user_id, name=a.name) for a in present]
    )
    election.voting_opened_at = timezone.now()
    election.save(update_fields=["status", "voting_opened_at"])
    return election


def _on_ballot_q():
    return Q(candidates__eligible=True, candidates__accepted_at__isnull=False)


def new_tracking_code() -> str:
    return secrets.token_urlsafe(12)


def ballot_cast(
    *,
    election: Election,
    by,
    choices: dict[int, list[int]],
    against: dict[int, list[int]] | None = None,
    write_ins: dict[int, list[str]] | None = None,
) -> str:
    """Cast ``by``'s online ballot: ``choices`` maps a position id to the candidate ids
    marked 赞成 (at most the seats). On a 等额 position (as many candidates as seats)
    ``against`` lists the candidates marked 反对，the others are recorded as 弃权.
    ``write_ins`` (write-ins, where the election rules allow them) maps a position id to the
    names written in; they and the 赞成 marks together are at most the seats. The register
    row and the sealed ballot are written in one transaction; the register's unique
    constraint makes a second ballot of the same voter fail, however many arrive at once.
    Returns the tracking code (shown once).

    The two rows share a transaction id, so the ballot is sealed (:mod:`.sealing`) to a
    key outside the database, and it becomes a :class:`Ballot` only at the close.

    Deliberately not a ``@service``: none of the rows it writes is tracked by pghistory,
    and no history context that names the voter is to be opened around a ballot (were a
    ballot table ever tracked, it would link the ballot to the voter). Its one transaction
    is the ``atomic`` block below."""
    against = against or {}
    write_ins = write_ins or {}
    election = Election.objects.get(pk=election.pk)
    if election.status != ElectionStatus.VOTING or not election.online:
        raise ValidationError(_("本次选举现在不接受网上投票。"))
    voter = (
        Voter.objects.filter(election=election, user=by).first() if by.is_authenticated else None
    )
    require(voter is not None, _("您不在本次选举的选举人名册中。"))
    positions = {
        p.pk: p for p in election.positions.select_related("office").prefetch_related("candidates")
    }
    wrong = _("选票内容有误，请刷新后重新填写。")
    if not set(choices) | set(against) | set(write_ins) <= set(positions):
        raise ValidationError(wrong)
    if write_ins and any(write_ins.values()) and not election.write_ins:
        raise ValidationError(_("本次选举的选举办法不允许另选他人。"))
    marks = sealing.Marks(yes=[])
    for position_id, position in positions.items():
        allowed = {c.pk for c in position.candidates.all() if c.on_ballot}
        chosen = set(choices.get(position_id, []))
        opposed = set(against.get(position_id, []))
        names = [n.strip() for n in write_ins.get(position_id, []) if n.strip()]
        if not chosen <= allowed or not opposed <= allowed or chosen & opposed:
            raise ValidationError(wrong)
        if opposed and not position.equal:
            raise ValidationError(wrong)
        if any(len(n) > WRITE_IN_MAX for n in names) or len(set(names)) != len(names):
            raise ValidationError(
                _("另选他人请每格填写一个姓名（不超过 %(n)d 个字），不要重复。")
                % {"n": WRITE_IN_MAX}
            )
        if len(chosen) + len(names) > position.seats:
            raise ValidationError(
                _("“%(office)s”最多选 %(seats)d 人。")
                % {"office": position.office.name, "seats": position.seats}
            )
        marks.yes.extend(chosen)
        if position.equal:
            marks.no.extend(opposed)
            marks.abstain.extend(allowed - chosen - opposed)
        marks.write_ins.extend((position_id, n) for n in names)
    code = new_tracking_code()
    try:
        sealed = sealing.seal(election.pk, code, marks)
    except ValueError as exc:
        raise ValidationError(wrong) from exc
    try:
        with transaction.atomic():
            # A share lock: casts do not wait for each other, but the close (FOR UPDATE)
            # waits for the casts in flight, and a cast after it sees the vote closed.
            if _status_for_share(election) != ElectionStatus.VOTING:
                raise ValidationError(_("本次选举现在不接受网上投票。"))
            VoterRegister.objects.create(election=election, voter=voter, channel=VoteChannel.ONLINE)
            SealedBallot.objects.create(election=election, sealed=sealed)
    except IntegrityError as exc:
        raise ValidationError(_("您已经投过票，每位选举人只能投一次。")) from exc
    return code


def _status_for_share(election: Election) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status FROM elections_election WHERE id = %s FOR SHARE",
            [election.pk],
        )
        return cursor.fetchone()[0]


@service
def paper_ballot_issue(*, election: Election, by, voter: Voter) -> VoterRegister:
    """Hand a paper ballot to a voter at the desk: registered as voted (so they cannot also
    vote online), and counted as issued for the reconciliation."""
    require_staff(by)
    election = _lock(election)
    if election.status != ElectionStatus.VOTING or not election.paper:
        raise ValidationError(_("本次选举现在不发放纸质选票。"))
    if voter.election_id != election.pk:
        raise ValidationError(_("该人员不在本次选举的选举人名册中。"))
    try:
        with transaction.atomic():
            return VoterRegister.objects.create(
                election=election, voter=voter, channel=VoteChannel.PAPER
            )
    except IntegrityError as exc:
        raise ValidationError(_("该选举人已经投过票或已领取选票。")) from exc


@service
def election_close_voting(*, election: Election, by) -> Election:
    """Close the vote. In this one transaction every sealed ballot is opened and written as
    a :class:`Ballot` with its marks, in an order drawn from the system's random source,
    and the sealed rows are deleted: the ballot table then holds rows that share this
    transaction's id, with random ids, in an order that has nothing to do with the order
    of casting (nor with the register's)."""
    election = _lock(election)
    require_staff(by)
    transition(election, ElectionStatus.CLOSED, ELECTION_TRANSITIONS)
    election.voting_closed_at = timezone.now()
    election.save(update_fields=["status", "voting_closed_at"])
    opened = [
        sealing.unseal(election.pk, blob)
        for blob in SealedBallot.objects.filter(election=election).values_list("sealed", flat=True)
    ]
    # Ballots written before sealing existed (none, normally) are shuffled in with them.
    legacy = Ballot.objects.filter(election=election).prefetch_related("marks", "write_ins")
    opened += [
        (
            b.tracking_code,
            sealing.Marks(
                yes=[m.candidate_id for m in b.marks.all() if m.choice == MarkChoice.YES],
                no=[m.candidate_id for m in b.marks.all() if m.choice == MarkChoice.NO],
                abstain=[m.candidate_id for m in b.marks.all() if m.choice == MarkChoice.ABSTAIN],
                write_ins=[(w.position_id, w.name) for w in b.write_ins.all()],
            ),
        )
        for b in legacy
    ]
    Ballot.objects.filter(election=election).delete()
    secrets.SystemRandom().shuffle(opened)
    ballots = [Ballot(election=election, tracking_code=code) for code, _marks in opened]
    Ballot.objects.bulk_create(ballots)
    pairs = list(zip(ballots, opened, strict=True))
    BallotMark.objects.bulk_create(
        [
            BallotMark(ballot=ballot, candidate_id=candidate_id, choice=choice)
            for ballot, (_code, marks) in pairs
            for choice, ids in (
                (MarkChoice.YES, marks.yes),
                (MarkChoice.NO, marks.no),
                (MarkChoice.ABSTAIN, marks.abstain),
            )
            for candidate_id in ids
        ]
    )
    BallotWriteIn.objects.bulk_create(
        [
            BallotWriteIn(ballot=ballot, position_id=position_id, name=name)
            for ballot, (_code, marks) in pairs
            for position_id, name in marks.write_ins
        ]
    )
    SealedBallot.objects.filter(election=election).delete()
    return election


# --- Paper tallies ------------------------------------------------------------------


def _require_official(election: Election, user, role: str) -> None:
    require(
        is_official(election, user, role),
        _("只有本次选举的%(role)s可以办理此事项。") % {"role": OfficialRole(role).label},
    )


@service
def tally_enter(
    *,
    batch: PaperBatch,
    by,
    copy: int,
    ballots: int,
    invalid: int,
    votes: dict[int, int],
    against: dict[int, int] | None = None,
    abstain: dict[int, int] | None = None,
    write_ins: list[tuple[int, str, int]] | None = None,
) -> PaperBatch:
    """A teller enters their count of a batch (copy 1 or 2): 赞成 per candidate
    (``votes``), on 等额 positions also 反对 (``against``) and 弃权 (``abstain``) per
    candidate, and the names written in with their votes (``write_ins``: position id,
    name, votes) where the rules allow them. When both copies are in they are compared and
    every difference is listed until they agree. A teller corrects a difference by
    entering their copy again."""
    against = against or {}
    abstain = abstain or {}
    write_ins = [(p, n.strip(), v) for p, n, v in (write_ins or []) if n.strip()]
    batch = PaperBatch.objects.select_for_update().select_related("election").get(pk=batch.pk)
    election = batch.election
    _require_official(election, by, OfficialRole.TELLER)
    if election.status != ElectionStatus.CLOSED:
        raise ValidationError(_("投票结束后才能录入计票。"))
    if batch.status == BatchStatus.CONFIRMED:
        raise ValidationError(_("该批次已经监票人确认，不能再修改。"))
    if copy not in (1, 2):
        raise ValidationError(_("录入次序只能是1或2。"))
    candidates = set(
        Candidate.objects.filter(position__election=election).values_list("id", flat=True)
    )
    if set(votes) != candidates:
        raise ValidationError(_("请为每位候选人录入得票数（可为0）。"))
    if any(v < 0 for v in votes.values()) or invalid > ballots or ballots < 0:
        raise ValidationError(_("票数不能为负，废票数不能超过选票数。"))
    if not set(against) | set(abstain) <= candidates:
        raise ValidationError(_("选票内容有误，请刷新后重新填写。"))
    if any(v < 0 for v in [*against.values(), *abstain.values(), *(w[2] for w in write_ins)]):
        raise ValidationError(_("票数不能为负，废票数不能超过选票数。"))
    if write_ins:
        if not election.write_ins:
            raise ValidationError(_("本次选举的选举办法不允许另选他人。"))
        positions = set(election.positions.values_list("id", flat=True))
        if any(p not in positions or len(n) > WRITE_IN_MAX for p, n, _v in write_ins):
            raise ValidationError(_("选票内容有误，请刷新后重新填写。"))
        if len({(p, n) for p, n, _v in write_ins}) != len(write_ins):
            raise ValidationError(_("同一另选人只能录入一次。"))
    other = batch.entries.exclude(copy=copy).filter(teller=by).exists()
    if other:
        raise ValidationError(_("两次录入须由两名不同的计票人完成。"))
    entry, _created = TallyEntry.objects.update_or_create(
        batch=batch, copy=copy, defaults={"teller": by, "ballots": ballots, "invalid": invalid}
    )
    entry.lines.all().delete()
    entry.write_ins.all().delete()
    TallyLine.objects.bulk_create(
        [
            TallyLine(
                entry=entry,
                candidate_id=c,
                votes=v,
                against=against.get(c, 0),
                abstain=abstain.get(c, 0),
            )
            for c, v in sorted(votes.items())
        ]
    )
    TallyWriteIn.objects.bulk_create(
        [TallyWriteIn(entry=entry, position_id=p, name=n, votes=v) for p, n, v in write_ins]
    )
    _compare(batch)
    return batch


def _compare(batch: PaperBatch) -> None:
    entries = {e.copy: e for e in batch.entries.prefetch_related("lines", "write_ins")}
    if len(entries) < 2:
        batch.status, batch.differences = BatchStatus.ENTERING, ""
    else:
        first, second = entries[1], entries[2]
        names = dict(
            Candidate.objects.filter(position__election_id=batch.election_id).values_list(
                "id", "name"
            )
        )
        diffs = []
        if first.ballots != second.ballots:
            diffs.append(_("选票数：%(a)d / %(b)d") % {"a": first.ballots, "b": second.ballots})
        if first.invalid != second.invalid:
            diffs.append(_("废票：%(a)d / %(b)d") % {"a": first.invalid, "b": second.invalid})
        a = {line.candidate_id: line for line in first.lines.all()}
        b = {line.candidate_id: line for line in second.lines.all()}
        for cid in sorted(a):
            other = b.get(cid)
            for field, label in (("votes", ""), ("against", _("反对")), ("abstain", _("弃权"))):
                mine = getattr(a[cid], field)
                theirs = getattr(other, field) if other is not None else 0
                if mine != theirs:
                    diffs.append(
                        _("%(name)s：%(a)d / %(b)d")
                        % {"name": f"{names[cid]}{label}", "a": mine, "b": theirs}
                    )
        wa = {(w.position_id, w.name): w.votes for w in first.write_ins.all()}
        wb = {(w.position_id, w.name): w.votes for w in second.write_ins.all()}
        for key in sorted(set(wa) | set(wb)):
            if wa.get(key, 0) != wb.get(key, 0):
                diffs.append(
                    _("另选 %(name)s：%(a)d / %(b)d")
                    % {"name": key[1], "a": wa.get(key, 0), "b": wb.get(key, 0)}
                )
        batch.status = BatchStatus.MISMATCH if diffs else BatchStatus.AGREED
        batch.differences = "\n".join(diffs)
    batch.save(update_fields=["status", "differences"])


@service
def batch_create(*, election: Election, by) -> PaperBatch:
    election = _lock(election)
    require(can_manage_batches(election, by), _("只有协会工作人员或计票监票人员可以办理此事项。"))
    if election.status != ElectionStatus.CLOSED or not election.paper:
        raise ValidationError(_("投票结束后才能登记纸质选票批次。"))
    number = election.batches.count() + 1
    return PaperBatch.objects.create(election=election, number=number)


@service
def batch_confirm(*, batch: PaperBatch, by) -> PaperBatch:
    """The scrutineer confirms a batch whose two entries agree."""
    batch = PaperBatch.objects.select_for_update().select_related("election").get(pk=batch.pk)
    _require_official(batch.election, by, OfficialRole.SCRUTINEER)
    if batch.status != BatchStatus.AGREED:
        raise ValidationError(_("两次录入一致后，监票人才能确认。"))
    batch.status = BatchStatus.CONFIRMED
    batch.confirmed_by = by
    batch.confirmed_at = timezone.now()
    batch.save(update_fields=["status", "confirmed_by", "confirmed_at"])
    return batch


# --- Counting and certification ----------------------------------------------------


@service
def election_count(*, election: Election, by) -> Election:
    """Count: online marks plus confirmed paper batches; seats by the rules; the
    complaint period starts today."""
    election = _lock(election)
    require_staff(by)
    if election.paper:
        if election.batches.exclude(status=BatchStatus.CONFIRMED).exists():
            raise ValidationError(_("还有纸质选票批次未经监票人确认。"))
        reconciliation = selectors.paper_reconciliation(election)
        if not reconciliation["ok"]:
            raise ValidationError(
                _(
                    "收回的纸质选票（%(returned)d 张）多于发出的（%(issued)d 张），"
                    "本次选举无效，请核查。"
                )
                % reconciliation
            )
    transition(election, ElectionStatus.COUNTED, ELECTION_TRANSITIONS)
    votes, cast = selectors.vote_totals(election)
    against, abstentions = selectors.against_totals(election)
    written = selectors.write_in_totals(election)
    voters = election.voters.count()
    base = voters if election.base == "roll" else cast
    lines = [
        _("选举人 %(voters)d 人，收回选票 %(cast)d 张；当选须得票 %(rule)s（基数 %(base)d）。")
        % {"voters": voters, "cast": cast, "rule": election.threshold.label, "base": base}
    ]
    for position in election.positions.select_related("office").prefetch_related("candidates"):
        candidates = [c for c in position.candidates.all() if c.on_ballot]
        outcome = position_outcome(
            seats=position.seats,
            votes={c: votes.get(c.pk, 0) for c in candidates},
            base=base,
            threshold=election.threshold,
            order={c: c.order for c in candidates},
        )
        equal = len(candidates) == position.seats
        for line in outcome.lines:
            candidate = line.candidate
            candidate.votes = line.votes
            candidate.against = against.get(candidate.pk, 0) if equal else None
            candidate.abstentions = abstentions.get(candidate.pk, 0) if equal else None
            candidate.elected = line.elected
            candidate.tied = line.tied
            candidate.result_note = line.text
        Candidate.objects.bulk_update(
            candidates, ["votes", "against", "abstentions", "elected", "tied", "result_note"]
        )
        WriteInResult.objects.filter(position=position).delete()
        WriteInResult.objects.bulk_create(
            [
                WriteInResult(position=position, name=name, votes=n)
                for (position_id, name), n in sorted(written.items())
                if position_id == position.pk
            ]
        )
        position.outcome_text = outcome.text
        position.save(update_fields=["outcome_text"])
        lines.append(f"{position.office.name}：{outcome.text}")
    today = timezone.localdate()
    election.counted_on = today
    election.complaint_until = today + datetime.timedelta(days=election.complaint_days)
    election.results_text = "\n".join(str(line) for line in lines)
    election.save(update_fields=["status", "counted_on", "complaint_until", "results_text"])
    return election


@service
def election_further_round(*, election: Election, by) -> Election:
    """A further round for the seats not filled: ties among the tied candidates, other
    unfilled seats among the remaining candidates."""
    election = _lock(election)
    require_staff(by)
    if election.status not in (ElectionStatus.COUNTED, ElectionStatus.CERTIFIED):
        raise ValidationError(_("计票后才能安排另行选举。"))
    if Election.objects.filter(previous_round=election).exists():
        raise ValidationError(_("已安排另行选举。"))
    needed = selectors.further_round_needed(election)
    if not needed:
        raise ValidationError(_("所有名额均已选出，无需另行选举。"))
    fields = [
        "meeting",
        "online",
        "paper",
        "base",
        "threshold_numerator",
        "threshold_denominator",
        "threshold_strict",
        "complaint_days",
        "term_years",
        "candidate_good_standing",
        "candidate_min_qualification",
        "write_ins",
    ]
    nxt = Election(
        **{f: getattr(election, f) for f in fields},
        mode=ElectionMode.EITHER,
        title=_("%(title)s（第%(round)d轮）")
        % {"title": election.title, "round": election.round + 1},
        round=election.round + 1,
        previous_round=election,
    )
    nxt.save()
    for position, left, candidates in needed:
        new_position = Position.objects.create(election=nxt, office=position.office, seats=left)
        Candidate.objects.bulk_create(
            [
                Candidate(
                    position=new_position,
                    name=c.name,
                    affiliation=c.affiliation,
                    worker=c.worker,
                    nominated_by=_("上一轮候选人"),
                    accepted_at=c.accepted_at,
                    eligible=c.eligible,
                    eligibility_note=c.eligibility_note,
                    order=c.order,
                )
                for c in candidates
            ]
        )
    return nxt


@service
def election_certify(*, election: Election, by) -> Election:
    """After the complaint period the presiding officer certifies: the elected take office
    for the term of the rules, and the previous holders' terms end (a further round adds to
    the holders its first round installed)."""
    election = _lock(election)
    require(can_certify(election, by), _("只有会议主持人可以确认选举结果。"))
    if election.status != ElectionStatus.COUNTED:
        raise ValidationError(_("计票完成后才能确认结果。"))
    _require_quorum(election, _("会议未达到法定人数，选举结果不能确认"))
    today = timezone.localdate()
    if election.complaint_until and today < election.complaint_until:
        raise ValidationError(
            _("异议期至 %(day)s，期满后才能确认结果。") % {"day": election.complaint_until}
        )
    transition(election, ElectionStatus.CERTIFIED, ELECTION_TRANSITIONS)
    election.certified_at = timezone.now()
    election.certified_by = by
    # The public announcement is rendered now, once, and served as stored from then on.
    documents.results_pdf_store(election)
    election.save(update_fields=["status", "certified_at", "certified_by", "results_file"])
    chain = []
    link = election
    while link is not None:
        chain.append(link.pk)
        link = link.previous_round
    for position in election.positions.select_related("office").prefetch_related(
        "candidates__worker"
    ):
        holders = [
            {
                "holder_name": c.name,
                "affiliation": c.affiliation,
                "worker": c.worker,
                "user": c.worker.user if c.worker else None,
            }
            for c in position.candidates.all()
            if c.elected
        ]
        if not holders:
            continue  # nobody elected: the current holders stay until a further round
        office_holders_install(
            office=position.office,
            holders=holders,
            starts_on=today,
            term_years=election.term_years,
            basis=election.title,
            election_ref=election.pk,
            keep_election_refs=tuple(chain),
        )
    return election


def results_pdf_file(*, election: Election):
    """The certified results announcement as stored at certification; rendered and stored
    again only if it is missing (an election certified before it was kept, or a lost file).
    No actor: the results of a certified election are public, and the caller has already
    found it certified."""
    if documents.results_pdf_stored(election) is None:
        election = results_pdf_restore(election=election)
    return election.results_file


@service
def results_pdf_restore(*, election: Election) -> Election:
    """Render and store a certified election's missing announcement (see
    :func:`results_pdf_file`); attributed to this service, with no actor."""
    election = _lock(election)
    if election.status != ElectionStatus.CERTIFIED:
        raise ValidationError(_("选举结果尚未确认。"))
    if documents.results_pdf_stored(election) is None:
        documents.results_pdf_store(election)
        election.save(update_fields=["results_file"])
    return election
