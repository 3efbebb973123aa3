"""PDF documents of the projects app: the completion certificate and the social
investigation report delivered to the court."""

from __future__ import annotations

from django.utils import timezone

from association.pdf import render_pdf

from .models import Application, InvestigationReport


def certificate_pdf(application: Application) -> bytes:
    return render_pdf(
        "projects/pdf/completion_certificate.html",
        {
            "application": application,
            "programme": application.round.programme,
            "agreement": getattr(application, "agreement", None),
        },
    )


def investigation_report_pdf(report: InvestigationReport) -> bytes:
    """The report as delivered to the court: the court needs the minor's identity, so the
    PDF is unmasked. The view hands it only to the referral's designated officer and its
    accepted experts (``selectors.referral_get_for_user``) and writes every download to
    the access log with its ground."""
    referral = report.referral
    sections = [
        (InvestigationReport._meta.get_field(name).verbose_name, getattr(report, name))
        for name in InvestigationReport.SECTIONS
    ]
    return render_pdf(
        "projects/pdf/investigation_report.html",
        {
            "report": report,
            "referral": referral,
            "sections": sections,
            "printed_at": timezone.localtime(),
        },
    )
