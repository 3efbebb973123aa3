"""Finance listens to members: a paid dues record is posted to the ledger (after the
payment's transaction commits; members sends the signal then)."""

from django.dispatch import receiver

from association.background import enqueue_on_commit
from members.signals import dues_paid

from .tasks import dues_post_task


@receiver(dues_paid, dispatch_uid="finance.post_paid_dues")
def post_paid_dues(sender, dues_id, **kwargs):
    enqueue_on_commit(dues_post_task, dues_id)
