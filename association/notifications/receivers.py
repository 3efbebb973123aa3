"""Receivers of the domain apps' signals.

Apps below notifications never import it (DESIGN.md: the dependency points one way);
they send signals, and the receivers here turn them into notifications with
:func:`association.notifications.services.notify`.
"""

from django.conf import settings
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation

from association.background import enqueue_on_commit
from members import selectors as member_selectors
from members import signals as member_signals
from members.models import Dues, Membership, SocialWorker, StaffInvitation
from stations import signals as station_signals

from .models import OutboxEmail
from .services import _render, notify, render_to_string


# --- members ---------------------------------------------------------------------------
def _membership(membership_id):
    return Membership.objects.with_parties().filter(pk=membership_id).first()


def _membership_url(membership):
    return reverse("members:membership_detail", args=[membership.pk])


@receiver(member_signals.application_received, dispatch_uid="notify_members_application")
def on_application_received(sender, membership_id, **kwargs):
    membership = _membership(membership_id)
    if membership is None:
        return
    context = {"membership": membership, "name": membership.member_name}
    if membership.submitted_by is not None:
        notify(
            [membership.submitted_by],
            "members_application_received",
            context,
            url=_membership_url(membership),
        )
    notify(
        member_selectors.association_staff_users(),
        "members_application_new",
        context,
        url=reverse("admin:members_membership_change", args=[membership.pk]),
    )


@receiver(member_signals.application_decided, dispatch_uid="notify_members_decided")
def on_application_decided(sender, membership_id, approved, **kwargs):
    membership = _membership(membership_id)
    if membership is None:
        return
    notify(
        member_selectors.membership_recipients(membership),
        "members_application_decided",
        {"membership": membership, "name": membership.member_name, "approved": approved},
        url=_membership_url(membership),
    )


@receiver(member_signals.dues_due, dispatch_uid="notify_members_dues_due")
def on_dues_due(sender, membership_id, dues_id, **kwargs):
    membership = _membership(membership_id)
    dues = Dues.objects.filter(pk=dues_id).first()
    if membership is None or dues is None:
        return
    notify(
        member_selectors.membership_recipients(membership),
        "members_dues_due",
        {"membership": membership, "name": membership.member_name, "dues": dues},
        url=_membership_url(membership),
    )


@receiver(member_signals.dues_paid, dispatch_uid="notify_members_dues_paid")
def on_dues_paid(sender, membership_id, dues_id, **kwargs):
    membership = _membership(membership_id)
    dues = Dues.objects.filter(pk=dues_id).first()
    if membership is None or dues is None:
        return
    notify(
        member_selectors.membership_recipients(membership),
        "members_dues_paid",
        {"membership": membership, "name": membership.member_name, "dues": dues},
        url=_membership_url(membership),
        email=False,
    )


@receiver(member_signals.membership_lapsing, dispatch_uid="notify_members_lapsing")
def on_membership_lapsing(sender, membership_id, lapses_on, **kwargs):
    membership = _membership(membership_id)
    if membership is None:
        return
    notify(
        member_selectors.membership_recipients(membership),
        "members_membership_lapsing",
        {"membership": membership, "name": membership.member_name, "lapses_on": lapses_on},
        url=_membership_url(membership),
    )


@receiver(member_signals.education_shortfall, dispatch_uid="notify_members_education")
def on_education_shortfall(sender, worker_id, required, completed, period_end, **kwargs):
    worker = SocialWorker.objects.select_related("user").filter(pk=worker_id).first()
    if worker is None or worker.user is None:
        return
    notify(
        [worker.user],
        "members_education_shortfall",
        {"worker": worker, "required": required, "completed": completed, "period_end": period_end},
        url=reverse("members:education_list"),
    )


@receiver(member_signals.staff_invited, dispatch_uid="notify_members_invited")
def on_staff_invited(sender, invitation_id, **kwargs):
    from association.accounts.models import User

    invitation = (
        StaffInvitation.objects.select_related("organisation").filter(pk=invitation_id).first()
    )
    if invitation is None:
        return
    user = User.objects.filter(email__iexact=invitation.email).first()
    url = reverse("members:invitation_accept", args=[invitation.token])
    context = {"invitation": invitation, "organisation": invitation.organisation.name}
    if user is not None:
        notify([user], "members_staff_invited", context, url=url)
        return
    # No account yet: an e-mail (through the outbox) with a link to apply.
    apply_url = f"{reverse('members:apply_individual')}?invitation={invitation.token}"
    with translation.override(settings.LANGUAGE_CODE):
        context["user"] = invitation.name
        subject = _render("members_staff_invited", "title", context)
        body = render_to_string("notifications/members_staff_invited/body.txt", context).strip()
    OutboxEmail.objects.create(
        to=invitation.email,
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
        body=f"{body}\n\n{settings.SITE_URL}{apply_url}",
    )
    from .tasks import drain_outbox

    enqueue_on_commit(drain_outbox)


# --- stations --------------------------------------------------------------------------
def _station_report(report_id):
    from stations.models import ServiceReport

    return (
        ServiceReport.objects.select_related("station", "station__region__parent")
        .filter(pk=report_id)
        .first()
    )


def _station_writers(station):
    """The station's current workers with an account, and its operator's admins."""
    from association.accounts.models import User
    from stations.models import StaffAssignment

    workers = StaffAssignment.objects.current().filter(station=station).values("worker__user")
    return User.objects.filter(
        Q(pk__in=workers) | Q(administered_organisations__organisation_id=station.operator_id)
    ).distinct()


def _report_context(report):
    return {
        "report": report,
        "station": report.station.name,
        "month": f"{report.month:%Y年%m月}",
    }


@receiver(station_signals.report_submitted, dispatch_uid="notify_stations_submitted")
def on_station_report_submitted(sender, report_id, **kwargs):
    from association.accounts.models import User

    report = _station_report(report_id)
    if report is None:
        return
    reviewers = User.objects.filter(
        station_reviews__county_id=report.station.region.parent_id
    ).distinct()
    notify(
        reviewers,
        "stations_report_submitted",
        _report_context(report),
        url=reverse("stations:report_detail", args=[report.pk]),
    )


@receiver(station_signals.report_returned, dispatch_uid="notify_stations_returned")
def on_station_report_returned(sender, report_id, comment, **kwargs):
    report = _station_report(report_id)
    if report is None:
        return
    notify(
        _station_writers(report.station),
        "stations_report_returned",
        {**_report_context(report), "comment": comment},
        url=reverse("stations:report_detail", args=[report.pk]),
    )


@receiver(station_signals.report_approved, dispatch_uid="notify_stations_approved")
def on_station_report_approved(sender, report_id, **kwargs):
    report = _station_report(report_id)
    if report is None:
        return
    notify(
        _station_writers(report.station),
        "stations_report_approved",
        _report_context(report),
        url=reverse("stations:report_detail", args=[report.pk]),
        email=False,
    )


def _station_reminders(kind, month, deadline, recipients, url_name):
    import datetime

    from association.accounts.models import User
    from stations.models import Station

    names = dict(Station.objects.values_list("pk", "name"))
    users = User.objects.in_bulk([int(pk) for pk in recipients])
    month_label = f"{datetime.date.fromisoformat(month):%Y年%m月}"
    for user_id, station_ids in recipients.items():
        user = users.get(int(user_id))
        if user is None:
            continue
        notify(
            [user],
            kind,
            {
                "month": month_label,
                "deadline": deadline,
                "stations": [names[pk] for pk in station_ids if pk in names],
            },
            url=reverse(url_name),
        )


@receiver(station_signals.reports_due_soon, dispatch_uid="notify_stations_due_soon")
def on_station_reports_due_soon(sender, month, deadline, recipients, **kwargs):
    _station_reminders(
        "stations_reports_due_soon", month, deadline, recipients, "stations:station_list"
    )


@receiver(station_signals.reports_overdue, dispatch_uid="notify_stations_overdue")
def on_station_reports_overdue(sender, month, deadline, recipients, **kwargs):
    _station_reminders(
        "stations_reports_overdue", month, deadline, recipients, "stations:station_list"
    )


# --- reports ---------------------------------------------------------------------------
from association.reports.signals import run_finished  # noqa: E402


@receiver(run_finished)
def on_report_run_finished(sender, run, recipients, **kwargs):
    """A report is ready (or failed): tell whoever asked for it, or every holder of the
    role a scheduled report is for; a failure says why in the user's words. A scheduled
    report that failed its own checks is held: only the staff hear of it, and why."""
    if run.status != "done":
        kind = "reports_failed"
    elif run.held:
        kind = "reports_held"  # to the association's staff only: see reports.services
    else:
        kind = "reports_ready"
    notify(
        recipients,
        kind,
        {"run": run, "scheduled": run.requested_by_id is None},
        url=reverse("reports:run_detail", args=[run.pk]),
    )


# --- governance ------------------------------------------------------------------------
from association.governance import signals as governance_signals  # noqa: E402


@receiver(governance_signals.meeting_noticed, dispatch_uid="notify_governance_meeting_noticed")
def on_meeting_noticed(sender, meeting_id, user_ids, **kwargs):
    """The notice of a meeting reaches everyone entitled to attend who has an account."""
    from association.accounts.models import User
    from association.governance.models import Meeting

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return
    notify(
        User.objects.filter(pk__in=user_ids),
        "governance_meeting_notice",
        {"meeting": meeting},
        url=reverse("governance:meeting_detail", args=[meeting.pk]),
    )


# --- projects ---------------------------------------------------------------------------
from projects import signals as project_signals  # noqa: E402

# Statuses a graduate is told about (screening steps in between are not news to them).
GRADUATE_NEWS = {"offered", "rejected", "serving", "completed", "withdrawn"}


def _application(application_id):
    from projects.models import Application

    return (
        Application.objects.select_related("applicant", "round__programme")
        .filter(pk=application_id)
        .first()
    )


@receiver(project_signals.application_submitted, dispatch_uid="notify_projects_submitted")
def on_project_application_submitted(sender, application_id, **kwargs):
    application = _application(application_id)
    if application is None:
        return
    notify(
        [application.applicant],
        "projects_application_received",
        {"application": application, "programme": application.round.programme},
        url=reverse("projects:application_detail", args=[application.pk]),
    )


@receiver(project_signals.application_moved, dispatch_uid="notify_projects_moved")
def on_project_application_moved(sender, application_id, status, **kwargs):
    if status not in GRADUATE_NEWS:
        return
    application = _application(application_id)
    if application is None:
        return
    notify(
        [application.applicant],
        "projects_application_moved",
        {
            "application": application,
            "programme": application.round.programme,
            "status": application.get_status_display(),
            "offered": status == "offered",
        },
        url=reverse("projects:application_detail", args=[application.pk]),
    )


@receiver(project_signals.assignment_offered, dispatch_uid="notify_projects_assignment")
def on_project_assignment_offered(sender, assignment_id, **kwargs):
    from projects.models import Assignment

    assignment = Assignment.objects.select_related("expert__user").filter(pk=assignment_id).first()
    if assignment is None or assignment.expert.user is None:
        return
    # Nothing about the minor or the case goes into a message: the expert reads the
    # referral in the portal, where every read is logged.
    notify(
        [assignment.expert.user],
        "projects_assignment_offered",
        {"service": assignment.get_service_display()},
        url=reverse("projects:assignment_list"),
    )
