"""Grants and contracts: a tranche received (restricted income) or paid out."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from association.services import service

from .. import chart
from ..choices import GrantDirection, VoucherSource
from ..models import GrantTranche
from ..permissions import require_books
from .ledger import voucher_create_and_post


@service
def tranche_settle(*, tranche: GrantTranche, by, on: datetime.date | None = None) -> GrantTranche:
    """Record a tranche as received (Dr 银行存款 / Cr the grant's income account) or
    paid (Dr the grant's expense account / Cr 银行存款), in the grant's fund."""
    require_books(by)
    tranche = (
        GrantTranche.objects.select_for_update()
        .select_related("grant__fund", "grant__account")
        .get(pk=tranche.pk)
    )
    if tranche.settled_on is not None:
        raise ValidationError(_("该期款项已于 %(date)s 入账。") % {"date": tranche.settled_on})
    on = on or timezone.localdate()
    grant = tranche.grant
    common = {
        "fund": grant.fund,
        "counterparty": grant.counterparty[:100],
        "project_tag": grant.project_tag,
        "station_tag": grant.station_tag,
        "description": tranche.label,
    }
    bank = {**common, "account": chart.BANK}
    other = {**common, "account": grant.account}
    if grant.direction == GrantDirection.RECEIVED:
        lines = [{**bank, "debit": tranche.amount}, {**other, "credit": tranche.amount}]
        summary = _("收到 %(grant)s %(label)s")
    else:
        lines = [{**other, "debit": tranche.amount}, {**bank, "credit": tranche.amount}]
        summary = _("支付 %(grant)s %(label)s")
    tranche.voucher = voucher_create_and_post(
        by=by,
        date=on,
        summary=(summary % {"grant": grant.title, "label": tranche.label})[:200],
        lines=lines,
        source=VoucherSource.GRANT,
    )
    tranche.settled_on = on
    tranche.save()
    return tranche
