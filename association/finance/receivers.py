"""Finance listens to the apps below it: a paid dues record is posted to the ledger
(after the payment's transaction commits; members sends the signal then); an achieved
start-up grant milestone is paid from the programme's restricted fund, and the programme
page asks finance what has been spent from that fund (projects does not import finance)."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver

from association.background import enqueue_on_commit
from members.signals import dues_paid
from projects.signals import grant_payment_due, programme_spending

from .tasks import dues_post_task

logger = logging.getLogger(__name__)


@receiver(dues_paid, dispatch_uid="finance.post_paid_dues")
def post_paid_dues(sender, dues_id, **kwargs):
    enqueue_on_commit(dues_post_task, dues_id)


# --- The graduates' programme (projects): start-up grants paid from its restricted fund ---


@receiver(grant_payment_due, dispatch_uid="finance.pay_startup_grant_milestone")
def pay_startup_grant_milestone(sender, milestone_id, by_id, **kwargs):
    """An achieved milestone (after its commit): post the payment voucher in the
    programme's fund. A refusal (no fund, a closed month) leaves the milestone achieved
    and unpaid; the grant page offers to submit it again."""
    from association.accounts.models import User

    from .services.programmes import startup_grant_pay

    try:
        startup_grant_pay(milestone_id=milestone_id, by=User.objects.get(pk=by_id))
    except (ValidationError, PermissionDenied):
        logger.warning("start-up grant milestone %s not paid", milestone_id, exc_info=True)


@receiver(programme_spending, dispatch_uid="finance.answer_programme_spending")
def answer_programme_spending(sender, code, **kwargs):
    from .services.programmes import programme_spending_answer

    return programme_spending_answer(code)
