"""Documents, draft versions, rules not yet in force, offices, terms and a seminar's talks
are written in the admin only through the services; a refused rule shows on the form."""

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from association.governance import services
from association.governance.choices import MeetingKind, MeetingStatus, VersionStatus
from association.governance.models import Document, MeetingTalk, Office, RuleSet, Term

from .factories import (
    MeetingFactory,
    TermFactory,
    VersionFactory,
    decided_motion,
    office,
    rule_set,
)


@pytest.fixture
def admin_client(cast, client_for):
    cast.staff.is_superuser = True
    cast.staff.save()
    TOTP.activate(cast.staff, generate_totp_secret())
    return client_for(cast.staff)


def spy(monkeypatch, name):
    calls = []
    real = getattr(services, name)

    def wrapper(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(services, name, wrapper)
    return calls


def errors(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_document_is_saved_by_the_service_and_not_deleted(admin_client, monkeypatch):
    calls = spy(monkeypatch, "document_save")
    response = admin_client.post(
        reverse("admin:governance_document_add"),
        {
            "kind": "charter",
            "title": "许昌市社会工作行业协会章程",
            "order": "1",
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get(title="许昌市社会工作行业协会章程")
    assert len(calls) == 1
    assert LogEntry.objects.filter(object_id=str(document.pk)).exists()
    delete = reverse("admin:governance_document_delete", args=[document.pk])
    assert admin_client.get(delete).status_code == 403


def version_data(version, **changes):
    return {"text": version.text, "change_summary": "", **changes}


def test_a_draft_version_is_edited_by_the_service(admin_client, monkeypatch):
    version = VersionFactory()
    calls = spy(monkeypatch, "version_draft_save")
    url = reverse("admin:governance_documentversion_change", args=[version.pk])
    response = admin_client.post(url, version_data(version, text="第一条 新的条文。"))
    assert response.status_code == 302, response.content.decode()[:2000]
    version.refresh_from_db()
    assert version.text == "第一条 新的条文。"
    assert len(calls) == 1


def test_a_version_put_to_the_vote_is_refused_on_the_form(admin_client):
    version = VersionFactory()
    url = reverse("admin:governance_documentversion_change", args=[version.pk])
    page = admin_client.get(url)  # the form was opened while it was a draft ...
    assert 'name="text"' in page.content.decode()
    version.status = VersionStatus.PROPOSED  # ... and it went to the vote meanwhile
    version.save()
    page = errors(admin_client.post(url, version_data(version, text="改过的条文")))
    assert "不能再修改" in page
    version.refresh_from_db()
    assert version.text != "改过的条文"


def test_rules_not_in_force_are_saved_and_deleted_by_the_services(admin_client, monkeypatch):
    rule_set()
    draft = VersionFactory()
    calls = spy(monkeypatch, "ruleset_save")
    add = reverse("admin:governance_ruleset_add")
    defaults = {
        f.name: f.get_default()
        for f in RuleSet._meta.fields
        if f.editable and f.name not in ("id", "effective_from", "source_version")
    }
    data = {k: ("on" if v is True else v) for k, v in defaults.items() if v is not False}
    response = admin_client.post(
        add, {**data, "name": "章程修正案的规则", "source_version": draft.pk, "notice_days": "15"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rules = RuleSet.objects.get(name="章程修正案的规则")
    assert rules.effective_from is None and rules.notice_days == 15
    assert len(calls) == 1

    # Rules for a version already adopted would never take effect: refused on the form.
    adopted = VersionFactory(
        status=VersionStatus.ADOPTED,
        adopted_by=decided_motion(),
        adopted_on=datetime.date(2024, 1, 1),
    )
    url = reverse("admin:governance_ruleset_change", args=[rules.pk])
    page = errors(admin_client.post(url, {**data, "name": "改名", "source_version": adopted.pk}))
    assert "该文件版本已经通过" in page
    rules.refresh_from_db()
    assert rules.name == "章程修正案的规则"

    delete = reverse("admin:governance_ruleset_delete", args=[rules.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert not RuleSet.objects.filter(pk=rules.pk).exists()


def test_an_office_is_saved_by_the_service_and_keeps_its_code_once_held(admin_client, monkeypatch):
    council = office("council")
    TermFactory(office=council)
    calls = spy(monkeypatch, "office_save")
    url = reverse("admin:governance_office_change", args=[council.pk])
    data = {"code": council.code, "name": "理事", "seats": "31", "order": council.order}
    if council.is_officer:
        data["is_officer"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    council.refresh_from_db()
    assert (council.name, council.seats) == ("理事", 31)
    assert len(calls) == 1

    other = next(code for code in Office._meta.get_field("code").choices if code[0] != "council")
    Office.objects.filter(code=other[0]).delete()
    page = errors(admin_client.post(url, {**data, "code": other[0]}))
    assert "不能更改其代码" in page
    council.refresh_from_db()
    assert council.code == "council"
    assert (
        admin_client.get(reverse("admin:governance_office_delete", args=[council.pk])).status_code
        == 403
    )


def test_terms_are_not_made_by_hand_and_are_ended_early_with_a_reason(admin_client):
    term = TermFactory()
    assert admin_client.get(reverse("admin:governance_term_add")).status_code == 403
    url = reverse("admin:governance_term_changelist")
    action = {"action": "end_early", "_selected_action": [term.pk], "apply": "1"}

    response = admin_client.post(url, {**action, "ended_on": "2020-01-01", "reason": "辞职"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.ended_on is None  # before the term started: refused, shown as a message

    response = admin_client.post(
        url, {**action, "ended_on": "2025-03-01", "reason": "本人辞去理事职务"}, follow=True
    )
    assert "已提前结束 1 项任期" in response.content.decode()
    term.refresh_from_db()
    assert term.ended_on == datetime.date(2025, 3, 1)


def meeting_data(meeting, talks, initial=0):
    data = {
        "minutes": meeting.minutes,
        "talks-TOTAL_FORMS": str(len(talks)),
        "talks-INITIAL_FORMS": str(initial),
    }
    for i, talk in enumerate(talks):
        data.update({f"talks-{i}-{k}": v for k, v in talk.items()})
    return data


def test_a_seminars_talks_are_saved_and_deleted_by_the_services(admin_client, monkeypatch):
    meeting = MeetingFactory(kind=MeetingKind.SEMINAR, status=MeetingStatus.OPEN)
    calls = spy(monkeypatch, "talk_save")
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    new = {"speaker": "王老师", "affiliation": "许昌学院", "topic": "社区治理", "order": "1"}
    data = meeting_data(meeting, [new])
    data.update(title=meeting.title, place=meeting.place, agenda=meeting.agenda, presiding="")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    talk = MeetingTalk.objects.get(meeting=meeting)
    assert talk.topic == "社区治理" and len(calls) == 1
    assert "社区治理" in LogEntry.objects.latest("id").get_change_message()

    data = meeting_data(
        meeting,
        [{**new, "id": talk.pk, "meeting": meeting.pk, "DELETE": "on"}],
        initial=1,
    )
    data.update(title=meeting.title, place=meeting.place, agenda=meeting.agenda, presiding="")
    assert admin_client.post(url, data).status_code == 302
    assert not MeetingTalk.objects.filter(pk=talk.pk).exists()


def test_a_closed_meetings_talks_are_refused_on_the_form(admin_client):
    meeting = MeetingFactory(kind=MeetingKind.SEMINAR, status=MeetingStatus.CLOSED)
    url = reverse("admin:governance_meeting_change", args=[meeting.pk])
    new = {"speaker": "王老师", "affiliation": "", "topic": "补记的讲座", "order": "1"}
    page = errors(admin_client.post(url, meeting_data(meeting, [new])))
    assert "会议已结束" in page
    assert not MeetingTalk.objects.filter(meeting=meeting).exists()


def test_the_services_refuse_what_the_forms_do_not_offer(cast):
    version = VersionFactory(status=VersionStatus.PROPOSED)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.version_draft_save(version=version, by=cast.staff, text="改")
    with pytest.raises(ValidationError):
        services.ruleset_save(rule_set=rule_set(), by=cast.staff)
    term = TermFactory(ended_on=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError):
        services.term_end(term=term, by=cast.staff, ended_on=datetime.date(2025, 1, 1), reason="x")
    assert Term.objects.get(pk=term.pk).ended_on == datetime.date(2024, 1, 1)
