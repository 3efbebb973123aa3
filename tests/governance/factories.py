"""Factories of the governance app."""

import datetime

import factory
from django.utils import timezone

from association.governance.choices import (
    AttendeeKind,
    DocumentKind,
    MeetingKind,
    MeetingStatus,
)
from association.governance.models import (
    Attendee,
    Document,
    DocumentVersion,
    Meeting,
    Office,
    RuleSet,
    Term,
)


def ensure_reference_data():
    """The offices and default rules of the data migration (a transactional test elsewhere
    may have flushed them)."""
    import importlib

    from django.apps import apps

    if not Office.objects.exists() or not RuleSet.objects.exists():
        migration = importlib.import_module(
            "association.governance.migrations.0002_offices_and_default_rules"
        )
        migration.forwards(apps, None)


def rule_set():
    ensure_reference_data()
    return RuleSet.objects.in_force().first()


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    kind = DocumentKind.CHARTER
    title = factory.Sequence(lambda n: f"许昌市社会工作行业协会章程{n}")


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentVersion

    document = factory.SubFactory(DocumentFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "第一章 总则\n第一条 本会名称为许昌市社会工作行业协会。"


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    kind = MeetingKind.GENERAL
    title = factory.Sequence(lambda n: f"第一届会员代表大会第{n}次会议")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    place = "许昌市民政局三楼会议室"
    agenda = "一、审议章程草案\n二、选举理事会"
    rule_set = factory.LazyFunction(rule_set)
    status = MeetingStatus.OPEN
    opened_at = factory.LazyFunction(timezone.now)


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee

    meeting = factory.SubFactory(MeetingFactory)
    kind = AttendeeKind.UNIT_REPRESENTATIVE
    name = factory.Sequence(lambda n: f"代表{n}")
    affiliation = "许昌市测试社会工作服务中心"


def roll(meeting, entitled: int, present: int, **kwargs):
    """``entitled`` rows on the roll of ``meeting``, the first ``present`` checked in."""
    now = timezone.now()
    rows = [
        Attendee(
            meeting=meeting,
            kind=AttendeeKind.UNIT_REPRESENTATIVE,
            name=f"代表{i:03d}",
            affiliation=f"单位{i % 23:02d}",
            checked_in_at=now if i < present else None,
            check_in_method="staff" if i < present else "",
            **kwargs,
        )
        for i in range(entitled)
    ]
    return Attendee.objects.bulk_create(rows)


def office(code):
    ensure_reference_data()
    return Office.objects.get(code=code)


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    office = factory.LazyFunction(lambda: office("council"))
    holder_name = factory.Sequence(lambda n: f"理事{n}")
    starts_on = datetime.date(2023, 7, 1)
    ends_on = datetime.date(2028, 7, 1)
    basis = "第一届会员代表大会选举"


def decided_motion(
    meeting=None,
    *,
    entitled=80,
    present=60,
    yes=50,
    no=6,
    abstain=4,
    kind="dues",
    vote_method="secret",
    title="关于会费标准的议案",
):
    """A motion voted on at ``meeting`` (a general meeting by default), its outcome and
    arithmetic computed by the rules as ``motion_record_counts`` would."""
    from django.db.models import Max

    from association.governance.models import Motion
    from association.governance.rules import motion_outcome

    meeting = meeting or MeetingFactory()
    rules = meeting.rule_set
    threshold = rules.pass_threshold
    outcome = motion_outcome(
        entitled=entitled,
        present=present,
        yes=yes,
        no=no,
        abstain=abstain,
        quorum_threshold=rules.quorum_threshold,
        pass_threshold=threshold,
    )
    number = (meeting.motions.aggregate(n=Max("number"))["n"] or 0) + 1
    return Motion.objects.create(
        meeting=meeting,
        number=number,
        title=title,
        text="会费标准：单位会员每年1000元，个人会员每年100元。",
        kind=kind,
        vote_method=vote_method,
        threshold_numerator=threshold.numerator,
        threshold_denominator=threshold.denominator,
        threshold_strict=threshold.strict,
        status="decided",
        entitled=entitled,
        present=present,
        yes=yes,
        no=no,
        abstain=abstain,
        passed=outcome.passed,
        arithmetic=outcome.text,
        decided_at=timezone.now(),
    )
