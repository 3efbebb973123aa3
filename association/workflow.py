"""State machines, one way: a table of allowed moves and one function that makes a move.

Every workflow of the portal (a membership, an expense claim, a referral, a monthly report,
an election…) keeps its table in its app's ``choices.py`` in one shape — each state maps to
the set of states it may move to — and changes state only through :func:`transition`::

    CLAIM_TRANSITIONS = {
        ClaimStatus.DRAFT: {ClaimStatus.SUBMITTED, ClaimStatus.WITHDRAWN},
        ClaimStatus.SUBMITTED: {ClaimStatus.APPROVED, ClaimStatus.RETURNED},
        ...
    }

    transition(claim, ClaimStatus.SUBMITTED, CLAIM_TRANSITIONS)

:func:`transition` checks the move against the table (a clear Chinese message when it is
not allowed) and sets the field; the caller — a service, inside its transaction, on a row it
locked with ``select_for_update`` — saves it, writes its event row if the workflow keeps one,
and sends its signal with :func:`association.services.send_on_commit`. A library
(django-fsm-2, viewflow) would add decorators, a second way to save, and its own signals to
this handful of lines; see docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Set

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Transitions = Mapping[str, Set[str]]


def can_transition(obj, target: str, table: Transitions, *, field: str = "status") -> bool:
    """Whether ``obj`` may move from its current state to ``target``."""
    return target in table.get(getattr(obj, field), ())


def transition(obj, target: str, table: Transitions, *, field: str = "status") -> str:
    """Move ``obj`` to ``target`` if the table allows it; returns the state it left."""
    current = getattr(obj, field)
    if target not in table.get(current, ()):
        raise ValidationError(
            _("%(object)s当前状态为“%(current)s”，不能变为“%(target)s”。")
            % {
                "object": obj._meta.verbose_name,
                "current": _label(obj, field, current),
                "target": _label(obj, field, target),
            },
            code="invalid_transition",
        )
    setattr(obj, field, target)
    return current


def _label(obj, field: str, value: str) -> str:
    choices = dict(obj._meta.get_field(field).flatchoices)
    return str(choices.get(value, value))


def check_table(table: Transitions, states) -> None:
    """A table names only real states, and every state has a row (used by the tests)."""
    known = {str(state) for state in states}
    rows = {str(state) for state in table}
    targets = {str(target) for targets in table.values() for target in targets}
    unknown = (rows | targets) - known
    if unknown:
        raise ValueError(f"transition table names unknown states: {sorted(unknown)}")
    missing = known - rows
    if missing:
        raise ValueError(f"transition table has no row for: {sorted(missing)}")
