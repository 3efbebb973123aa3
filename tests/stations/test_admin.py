"""The staff tool: admin pages open, the status action follows the rules, assignments import."""

import datetime
import re
from decimal import Decimal
from unittest import mock

import pytest
import tablib
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats

from stations.models import StaffAssignment, Station
from stations.resources import StaffAssignmentResource
from tests.members.factories import SocialWorkerFactory

from .factories import ReportFactory, fill


@pytest.fixture
def staff_client(cast, client_for):
    TOTP.activate(cast.staff, generate_totp_secret())
    return client_for(cast.staff)


def test_it_opens_the_admin_pages(staff_client, station_a):
    fill(ReportFactory(station=station_a))
    for name in (
        "admin:stations_station_changelist",
        "admin:stations_servicereport_changelist",
        "admin:stations_staffassignment_changelist",
        "admin:stations_assessment_changelist",
        "admin:stations_station_import",
    ):
        assert staff_client.get(reverse(name)).status_code == 200, name
    url = reverse("admin:stations_station_change", args=[station_a.pk])
    assert staff_client.get(url).status_code == 200


def test_the_station_page_shows_when_each_status_ended(staff_client, station_a, cast):
    from stations.services import station_status_record

    first = station_a.status_changes.order_by("effective_on").last()
    today = datetime.date.today()
    station_status_record(station=station_a, status="suspended", effective_on=today, by=cast.staff)
    url = reverse("admin:stations_station_change", args=[station_a.pk])
    page = staff_client.get(url).content.decode()
    assert "失效日期" in page
    first.refresh_from_db()
    assert first.ends_on == today
    shown = formats.date_format(today)
    ends = re.findall(r'class="field-ends_on">\s*<p>([^<]*)</p>', page)
    # The first ended today, the second holds (then the inline's empty template row).
    assert ends[:2] == [shown, "-"]


def test_it_records_status_changes_from_the_admin_action(staff_client, station_a):
    url = reverse("admin:stations_station_changelist")
    data = {
        "action": "record_status",
        "_selected_action": [station_a.pk],
        "apply": "1",
        "status": "suspended",
        "effective_on": datetime.date.today().isoformat(),
        "note": "场地改造",
    }
    staff_client.post(url, data)
    station_a.refresh_from_db()
    assert station_a.current_status == "suspended"
    data["status"] = "building"  # suspended -> building is not allowed
    data["effective_on"] = (datetime.date.today()).isoformat()
    response = staff_client.post(url, data, follow=True)
    assert "不能从" in response.content.decode() or "晚于上一条" in response.content.decode()
    station_a.refresh_from_db()
    assert station_a.current_status == "suspended"


def test_it_imports_assignments_by_township_code_and_id_number(cast, station_a):
    from tests.members.factories import id_number

    number = id_number(777)
    worker = SocialWorkerFactory(id_number=number)
    worker.set_id_number(number)
    worker.save()
    dataset = tablib.Dataset(headers=["乡镇代码", "公民身份号码", "岗位", "到岗日期", "离岗日期"])
    dataset.append([station_a.region.code, number, "驻站社工", "2024-01-02", ""])
    dataset.append(["000000000", number, "驻站社工", "2024-01-02", ""])
    result = StaffAssignmentResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True, user=cast.staff
    )
    assert result.has_validation_errors()
    assert not StaffAssignment.objects.filter(worker=worker).exists()
    dataset = tablib.Dataset(headers=dataset.headers)
    dataset.append([station_a.region.code, number, "驻站社工", "2024-01-02", ""])
    result = StaffAssignmentResource().import_data(
        dataset, dry_run=False, rollback_on_validation_errors=True, user=cast.staff
    )
    assert not result.has_validation_errors() and not result.has_errors()
    assert StaffAssignment.objects.get(worker=worker).station == station_a
    exported = StaffAssignmentResource().export().csv
    assert number not in exported  # ID numbers are masked in exports
    assert Station.objects.count() == 1


# --- the admin's writes go through the services -------------------------------------------


def admin_form_data(response) -> dict:
    """The POST data of an admin change form as the page shows it (the form, and each
    inline's management form and rows)."""
    context = response.context
    forms = [context["adminform"].form]
    for inline in context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if field.disabled or value is None or value is False or value == "":
                continue
            if isinstance(value, list | tuple):
                value = [getattr(v, "pk", v) for v in value]
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            data[form.add_prefix(name)] = getattr(value, "pk", value)
    return data


def form_errors(response):
    """The errors of an admin form page that did not save (for a failing assertion)."""
    context = response.context
    errors = [context["adminform"].form.errors]
    errors += [inline.formset.errors for inline in context["inline_admin_formsets"]]
    errors += [inline.formset.non_form_errors() for inline in context["inline_admin_formsets"]]
    return errors


@pytest.fixture
def roleless_admin(client_for):
    """A staff-site user with the model permissions but no role of the association: the
    services refuse what the admin would let through."""
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    user = UserFactory(email="roleless@example.org", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="stations",
            content_type__model__in=["countyreviewer", "servicearea"],
        )
    )
    TOTP.activate(user, generate_totp_secret())
    return client_for(user)


def test_the_station_page_saves_checklist_and_contracts_through_the_services(
    staff_client, station_a
):
    from django.contrib.admin.models import LogEntry

    from stations import services

    url = reverse("admin:stations_station_change", args=[station_a.pk])
    today = datetime.date.today()
    data = admin_form_data(staff_client.get(url))
    data.update({
        "checklist-TOTAL_FORMS": 1, "checklist-0-item": "site", "checklist-0-is_met": "on",
        "checklist-0-checked_on": today.isoformat(), "checklist-0-note": "村委会二楼",
        "contracts-TOTAL_FORMS": 1, "contracts-0-year": 2024,
        "contracts-0-purchaser": "魏都区民政局", "contracts-0-amount": "200000.00",
        "contracts-0-starts_on": "2024-01-01",
        "contracts-0-ends_on": "2024-12-31",
    })  # fmt: skip
    with (
        mock.patch.object(services, "checklist_record", wraps=services.checklist_record) as ck,
        mock.patch.object(services, "contract_record", wraps=services.contract_record) as ct,
    ):
        response = staff_client.post(url, data)
    assert response.status_code == 302, str(form_errors(response))
    assert ck.called and ct.called
    assert station_a.checklist.get(item="site").is_met
    assert station_a.contracts.get().amount == Decimal("200000")
    assert "added" in LogEntry.objects.latest("pk").change_message  # the change log still says

    data = admin_form_data(staff_client.get(url))  # the item checked again: not met
    data.pop("checklist-0-is_met")
    assert staff_client.post(url, data).status_code == 302
    assert not station_a.checklist.get(item="site").is_met
    assert "changed" in LogEntry.objects.latest("pk").change_message

    data["checklist-0-checked_on"] = (today + datetime.timedelta(days=1)).isoformat()
    page = staff_client.post(url, data, follow=True)  # refused by the service
    assert page.status_code == 200 and "核查日期不能晚于今天" in page.content.decode()
    assert station_a.checklist.get(item="site").checked_on == today

    data = admin_form_data(staff_client.get(url))  # refused by the form: the period
    data.update({
        "contracts-TOTAL_FORMS": 2, "contracts-1-year": 2025, "contracts-1-purchaser": "x",
        "contracts-1-amount": "1", "contracts-1-starts_on": "2025-05-01",
        "contracts-1-ends_on": "2025-01-01",
    })  # fmt: skip
    page = staff_client.post(url, data)
    assert page.status_code == 200 and "服务期止不能早于服务期起" in page.content.decode()
    assert station_a.contracts.count() == 1


def _round_data(year, *weights):
    data = {
        "year": year, "title": f"{year}年度考核", "excellent_from": "90", "good_from": "80",
        "pass_from": "60", "indicators-TOTAL_FORMS": len(weights), "indicators-INITIAL_FORMS": 0,
    }  # fmt: skip
    for i, weight in enumerate(weights):
        data.update({
            f"indicators-{i}-name": f"指标{i}", f"indicators-{i}-weight": weight,
            f"indicators-{i}-maximum": "10", f"indicators-{i}-order": i,
        })  # fmt: skip
    return data


def test_the_round_page_opens_and_updates_rounds_through_the_services(
    staff_client, cast, station_a
):
    from stations import services
    from stations.models import AssessmentRound

    add = reverse("admin:stations_assessmentround_add")
    with mock.patch.object(
        services, "assessment_round_create", wraps=services.assessment_round_create
    ) as created:
        response = staff_client.post(add, _round_data(2030, 60, 40))
    assert response.status_code == 302, str(form_errors(response))
    assert created.called
    round_ = AssessmentRound.objects.get(year=2030)
    assert list(round_.indicators.values_list("name", flat=True)) == ["指标0", "指标1"]

    page = staff_client.post(add, _round_data(2031, 60))  # the weights add up to 100
    assert page.status_code == 200 and "权重之和应为100" in page.content.decode()
    assert not AssessmentRound.objects.filter(year=2031).exists()

    url = reverse("admin:stations_assessmentround_change", args=[round_.pk])
    data = admin_form_data(staff_client.get(url))
    data["title"] = "2030年度社工站考核"
    assert staff_client.post(url, data).status_code == 302
    round_.refresh_from_db()
    assert round_.title == "2030年度社工站考核"

    services.assessment_score(
        round=round_, station=station_a, by=cast.staff,
        scores={ind.pk: Decimal(8) for ind in round_.indicators.all()},
    )  # fmt: skip
    data["pass_from"] = "50"  # a grade was given by the thresholds: they stay
    page = staff_client.post(url, data, follow=True)
    assert page.status_code == 200 and "分数线不能再修改" in page.content.decode()
    round_.refresh_from_db()
    assert round_.pass_from == Decimal(60)


def test_county_reviewers_are_assigned_and_removed_through_the_services(
    staff_client, roleless_admin, cast, station_a
):
    from association.accounts.roles import sync_role_permissions
    from stations.models import CountyReviewer

    sync_role_permissions()  # a reused test database has the groups of before
    county = station_a.region.parent
    add = reverse("admin:stations_countyreviewer_add")
    page = roleless_admin.post(add, {"county": county.pk, "user": cast.official.pk}, follow=True)
    assert page.status_code == 200 and "只有协会工作人员" in page.content.decode()
    assert not CountyReviewer.objects.exists()

    response = staff_client.post(add, {"county": county.pk, "user": cast.official.pk})
    assert response.status_code == 302, str(form_errors(response))
    reviewer = CountyReviewer.objects.get()
    assert (reviewer.county, reviewer.user) == (county, cast.official)

    delete = reverse("admin:stations_countyreviewer_delete", args=[reviewer.pk])
    page = roleless_admin.post(delete, {"post": "yes"}, follow=True)
    assert page.status_code == 200 and CountyReviewer.objects.exists()
    assert staff_client.post(delete, {"post": "yes"}).status_code == 302
    assert not CountyReviewer.objects.exists()


def test_the_catalogue_list_saves_through_the_service(staff_client, roleless_admin, cast):
    from stations import services
    from stations.models import ServiceArea

    area = ServiceArea.objects.order_by("pk").first()
    url = reverse("admin:stations_servicearea_changelist")
    data = {
        "form-TOTAL_FORMS": 1, "form-INITIAL_FORMS": 1, "form-0-id": area.pk,
        "form-0-order": 99, "_save": "保存",
    }  # fmt: skip
    page = roleless_admin.post(url, data, follow=True)
    assert page.status_code == 200 and "只有协会工作人员" in page.content.decode()
    area.refresh_from_db()
    assert area.is_active and area.order != 99

    with mock.patch.object(
        services, "catalogue_entry_save", wraps=services.catalogue_entry_save
    ) as saved:
        response = staff_client.post(url, data)
    assert response.status_code == 302, str(form_errors(response))
    assert saved.called
    area.refresh_from_db()
    assert area.order == 99 and not area.is_active  # retired, not deleted
    with pytest.raises(ValidationError):  # the code stays
        area.code = "renamed"
        services.catalogue_entry_save(entry=area, by=cast.staff)


def test_the_checklist_evidence_is_attached_through_the_service(staff_client, station_a, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    url = reverse("admin:stations_station_change", args=[station_a.pk])
    data = admin_form_data(staff_client.get(url))
    data.update({
        "checklist-TOTAL_FORMS": 1, "checklist-0-item": "rules", "checklist-0-is_met": "on",
        "checklist-0-evidence": SimpleUploadedFile("rules.txt", b"plain text"),
    })  # fmt: skip
    page = staff_client.post(url, data, follow=True)  # not a document type: refused
    assert page.status_code == 200 and "不支持的文件类型" in page.content.decode()
    assert not station_a.checklist.exists()
    data["checklist-0-evidence"] = SimpleUploadedFile("rules.pdf", b"%PDF-1.4 rules")
    response = staff_client.post(url, data)
    assert response.status_code == 302, str(form_errors(response))
    entry = station_a.checklist.get(item="rules")
    assert entry.is_met and entry.evidence.name.endswith(".pdf")
