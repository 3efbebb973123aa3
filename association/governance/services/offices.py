"""Offices: installing the holders an election certified."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta

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
