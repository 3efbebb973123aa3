"""Individual members elect representatives to the general meeting (会员代表大会): staff
record an election's results, all or nothing, through the service or the admin."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from members import services
from members.models import ElectedRepresentative
from members.services import ElectionResult

from .factories import DuesFactory, MembershipFactory, SocialWorkerFactory

ELECTED_ON = datetime.date(2026, 9, 1)


def individual(name: str, *, paid: bool = True):
    """An individual member; with ``paid``, this year's dues paid (in good standing on
    ELECTED_ON), else none (lapsed by then)."""
    membership = MembershipFactory(person=SocialWorkerFactory(name=name))
    if paid:
        DuesFactory(
            membership=membership,
            year=2026,
            paid_on=datetime.date(2026, 1, 10),
            receipt_number=f"R{membership.pk}",
        )
    return membership


def elect(by, *members_votes, votes_cast=80, constituency="魏都区", **kwargs):
    return services.representatives_elect(
        results=[ElectionResult(membership=m, votes=v) for m, v in members_votes],
        elected_on=kwargs.pop("elected_on", ELECTED_ON),
        votes_cast=votes_cast,
        constituency=constituency,
        by=by,
        **kwargs,
    )


def test_staff_record_an_election_and_the_previous_representatives_of_the_constituency_end(cast):
    a, b, c = individual("张敏"), individual("李娜"), individual("王芳")
    first = elect(cast.staff, (a, 50), (b, 41), elected_on=datetime.date(2026, 3, 1))
    assert [r.membership for r in first] == [a, b]
    assert first[0].starts_on == datetime.date(2026, 3, 1) and first[0].ends_on is None
    second = elect(cast.staff, (a, 60), (c, 45))
    ended = ElectedRepresentative.objects.filter(pk__in=[r.pk for r in first])
    assert {r.ended_on for r in ended} == {ELECTED_ON}
    assert set(ElectedRepresentative.objects.in_force(ELECTED_ON)) == set(second)
    assert set(ElectedRepresentative.objects.in_force(ELECTED_ON - datetime.timedelta(1))) == set(
        first
    )
    assert second[0].recorded_by == cast.staff and second[0].votes_cast == 80


def test_only_members_in_good_standing_may_be_elected_and_nothing_is_recorded_otherwise(cast):
    good, lapsed = individual("张敏"), individual("赵强", paid=False)
    with pytest.raises(ValidationError) as error:
        elect(cast.staff, (good, 50), (lapsed, 40))
    assert error.value.messages == ["赵强在2026年9月1日不是正常状态的会员，不能当选会员代表。"]
    assert not ElectedRepresentative.objects.exists()


def test_every_refusal_is_stated_in_chinese(cast):
    a, unit = individual("张敏"), MembershipFactory()
    with pytest.raises(ValidationError) as error:
        elect(cast.staff, (a, 90), (a, 10), (unit, 5), votes_cast=80)
    messages = error.value.messages
    assert "张敏的得票数（90）须在零与投票总数（80）之间。" in messages
    assert "张敏在当选名单中重复出现。" in messages
    assert any("不是个人会员，不能当选个人会员代表" in m for m in messages)
    with pytest.raises(ValidationError, match="请至少填写一名当选的会员代表"):
        elect(cast.staff)
    with pytest.raises(ValidationError, match="任期届满日期不能早于任期开始日期"):
        elect(cast.staff, (a, 50), ends_on=ELECTED_ON - datetime.timedelta(days=1))
    elect(cast.staff, (a, 50), constituency="建安区")
    with pytest.raises(ValidationError, match="已是“建安区”选区在任的个人会员代表"):
        elect(cast.staff, (a, 50))
    with pytest.raises(ValidationError, match="同日或更晚的选举结果"):
        elect(cast.staff, (individual("李娜"), 50), constituency="建安区")
    assert ElectedRepresentative.objects.count() == 1


def test_only_staff_record_or_end(cast):
    a = individual("张敏")
    with pytest.raises(PermissionDenied):
        elect(cast.org_admin_a, (a, 50))
    [rep] = elect(cast.staff, (a, 50))
    with pytest.raises(PermissionDenied):
        services.elected_representative_end(representative=rep, by=cast.org_admin_a, reason="辞职")
    with pytest.raises(ValidationError, match="请填写终止原因"):
        services.elected_representative_end(representative=rep, by=cast.staff, reason=" ")
    services.elected_representative_end(
        representative=rep, by=cast.staff, reason="本人辞去代表职务", ended_on=ELECTED_ON
    )
    rep.refresh_from_db()
    assert rep.ended_on == ELECTED_ON and rep.end_reason == "本人辞去代表职务"
    assert not ElectedRepresentative.objects.in_force(ELECTED_ON).exists()


def test_the_admin_records_an_election_through_the_service(cast, client):
    a, b = individual("张敏"), individual("赵强", paid=False)
    client.force_login(cast.staff)
    url = reverse("admin:members_electedrepresentative_add")
    assert client.get(url).status_code == 200
    form = {
        "elected_on": "2026-09-01",
        "constituency": "魏都区",
        "votes_cast": "80",
        "results": f"{a.number} 50\n{b.number}，40\n",
    }
    page = client.post(url, form)
    assert "赵强在2026年9月1日不是正常状态的会员" in page.content.decode()
    assert not ElectedRepresentative.objects.exists()
    page = client.post(url, {**form, "results": "XCSW-X-9999 3"})
    assert "找不到以下会员编号：XCSW-X-9999。" in page.content.decode()
    page = client.post(url, {**form, "results": f"{a.number} 50"})
    assert page.status_code == 302
    [rep] = ElectedRepresentative.objects.all()
    assert rep.membership == a and rep.votes_received == 50 and rep.recorded_by == cast.staff
    membership_page = client.get(reverse("admin:members_membership_change", args=[a.pk]))
    assert "魏都区" in membership_page.content.decode()
    listing = client.get(
        reverse("admin:members_electedrepresentative_changelist") + "?in_force=yes"
    )
    assert "张敏" in listing.content.decode()
    ended = client.post(
        reverse("admin:members_electedrepresentative_changelist"),
        {
            "action": "end",
            "_selected_action": [rep.pk],
            "apply": "1",
            "ended_on": "2026-10-01",
            "reason": "本人辞去代表职务",
        },
    )
    assert ended.status_code == 302
    rep.refresh_from_db()
    assert rep.ended_on == datetime.date(2026, 10, 1)
