"""Offices: their particulars, installing the holders an election certified, and ending
a term early."""

from __future__ import annotations

import datetime

import pghistory
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from association.accounts.roles import require_staff
from association.services import service

from ..models import Office, Term


@service
def office_holders_install(
    *,
    office: Office,
    holders: list[dict],
    starts_on: datetime.date,
    term_years: int,
    basis: str,
    election_ref: int | None = None,
    keep_election_refs: tuple = (),
) -> list[Term]:
    """End the current holders' terms on ``starts_on`` and start the new holders' terms
    (each holder: ``holder_name`` and optionally ``worker``, ``user``, ``affiliation``).
    Holders installed by ``keep_election_refs`` (earlier rounds of the same election) stay.
    Called by the certification of an election, which checks who may certify and whose
    attributed history context (``elections.election_certify``) these rows are written in;
    it takes no actor of its own."""
    office = Office.objects.select_for_update().get(pk=office.pk)
    Term.objects.current(starts_on).filter(office=office).exclude(
        election_ref__in=list(keep_election_refs)
    ).update(ended_on=starts_on)
    terms = [
        Term(
            office=office,
            starts_on=starts_on,
            ends_on=starts_on + relativedelta(years=term_years),
            basis=basis,
            election_ref=election_ref,
            **holder,
        )
        for holder in holders
    ]
    for term in terms:
        term.full_clean()
    return Term.objects.bulk_create(terms)


def check_office_code(office: Office) -> None:
    """An office that has had holders keeps its code: the code is what the rules, the
    elections and the officers' list read (read from the database, not from the form)."""
    if office.pk is None:
        return
    stored = Office.objects.filter(pk=office.pk).values_list("code", flat=True).first()
    if stored is not None and stored != office.code and Term.objects.filter(office=office).exists():
        raise ValidationError({"code": _("该职务已有任职记录，不能更改其代码。")})


@service
def office_save(*, office: Office, by) -> Office:
    """Add an office or change its name, seats, order or whether it is an officer's."""
    require_staff(by)
    if office.pk is not None:
        Office.objects.select_for_update().filter(pk=office.pk).first()
    check_office_code(office)
    office.full_clean()
    office.save()
    return office


@service
def term_end(*, term: Term, by, ended_on: datetime.date, reason: str) -> Term:
    """End a term before it expires (resignation, removal, death), with the reason, which the
    history keeps. Terms themselves are started only by the certification of an election."""
    require_staff(by)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("请填写提前离任的理由。"))
    term = Term.objects.select_for_update().get(pk=term.pk)
    if term.ended_on is not None:
        raise ValidationError(_("该任期已于 %(day)s 结束。") % {"day": term.ended_on})
    if not term.starts_on <= ended_on < term.ends_on:
        raise ValidationError(
            _("离任日期须在任职日期（%(start)s）和任期届满日期（%(end)s）之间。")
            % {"start": term.starts_on, "end": term.ends_on}
        )
    with pghistory.context(reason=reason):
        term.ended_on = ended_on
        term.full_clean()
        term.save(update_fields=["ended_on"])
    return term
