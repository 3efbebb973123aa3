"""Every change to content and notices: the publishing workflow, attachments, sending a
notice to a segment (in the background, idempotent per recipient), receipts and reminders."""

from __future__ import annotations

import datetime
import logging

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import require, require_staff
from association.background import enqueue_on_commit
from association.files import validate_upload
from association.services import history_context, service
from association.workflow import transition

from . import conf
from .choices import ARTICLE_TRANSITIONS, Kind, Segment, SendStatus, Status
from .models import Article, Attachment, Delivery, Distribution, RecipientList
from .permissions import can_answer
from .rendering import plain_text

logger = logging.getLogger(__name__)

IMAGE_TYPES = ("jpg", "jpeg", "png")
ATTACHMENT_TYPES = ("pdf", "docx", "xlsx", "jpg", "jpeg", "png")
REPLY_TYPES = ("pdf", "docx", "xlsx", "jpg", "jpeg", "png")


def forget_home_page() -> None:
    """The anonymous home page is cached: drop it once what it shows has changed."""
    transaction.on_commit(lambda: cache.delete(conf.HOME_CACHE_KEY))


def _locked(article: Article) -> Article:
    return Article.objects.select_for_update().get(pk=article.pk)


# --- The publishing workflow -------------------------------------------------------------
ARTICLE_FIELDS = (
    "kind", "title", "slug", "summary", "body", "visibility", "issuer", "document_number",
    "issued_on", "urgent", "reply_by",
)  # fmt: skip


@service
def article_create(*, by, **fields) -> Article:
    """A new draft written by staff (the admin's form saves its own; commands and the demo
    call this)."""
    require_staff(by)
    unknown = set(fields) - set(ARTICLE_FIELDS)
    if unknown:
        raise ValidationError(_("未知的字段：%(names)s") % {"names": "、".join(sorted(unknown))})
    article = Article(**fields, status=Status.DRAFT, created_by=by)
    article.full_clean(exclude=["slug"])
    article.save()
    return article


@service
def article_submit(article: Article, *, by) -> Article:
    """Draft → review: the writer asks for it to be checked."""
    require_staff(by)
    article = _locked(article)
    if not article.title.strip():
        raise ValidationError(_("标题不能为空。"))
    transition(article, Status.REVIEW, ARTICLE_TRANSITIONS)
    article.save(update_fields=["status", "updated_at"])
    return article


@service
def article_return(article: Article, *, by) -> Article:
    """Review → draft: sent back to the writer."""
    require_staff(by)
    article = _locked(article)
    transition(article, Status.DRAFT, ARTICLE_TRANSITIONS)
    article.save(update_fields=["status", "updated_at"])
    return article


@service
def article_publish(article: Article, *, by, at: datetime.datetime | None = None) -> Article:
    """Review (or withdrawn) → published, from ``at`` (now by default; a later time
    schedules it). A policy needs its issuing body and date."""
    require_staff(by)
    article = _locked(article)
    if article.kind == Kind.POLICY and not (article.issuer and article.issued_on):
        raise ValidationError(_("政策法规须填写发文机关和发文日期后才能发布。"))
    if not article.body.strip() and not article.attachments.exists():
        raise ValidationError(_("正文和附件不能都为空。"))
    transition(article, Status.PUBLISHED, ARTICLE_TRANSITIONS)
    article.published_at = at or article.published_at or timezone.now()
    if at is None and article.published_at > timezone.now():
        article.published_at = timezone.now()
    article.save(update_fields=["status", "published_at", "updated_at"])
    forget_home_page()
    return article


@service
def article_unpublish(article: Article, *, by) -> Article:
    """Published → withdrawn: off the site, the feed, the sitemap and search at once."""
    require_staff(by)
    article = _locked(article)
    transition(article, Status.UNPUBLISHED, ARTICLE_TRANSITIONS)
    article.save(update_fields=["status", "updated_at"])
    forget_home_page()
    return article


def check_cover(upload) -> None:
    validate_upload(upload, types=IMAGE_TYPES, max_mb=5)


def check_attachment(upload) -> None:
    validate_upload(upload, types=ATTACHMENT_TYPES, max_mb=20)


@service
def article_save(*, article: Article, by) -> Article:
    """The admin's form: a new draft (its author is ``by``) or a change to an article, its
    status left to the workflow's services. The public pages forget the cached home page."""
    require_staff(by)
    if article.pk is None:
        article.status = Status.DRAFT
        article.created_by = by
    else:
        article.status = Article.objects.values_list("status", flat=True).get(pk=article.pk)
    article.full_clean(exclude=["slug"])
    article.save()
    forget_home_page()
    return article


@service
def attachment_save(attachment: Attachment, *, by) -> Attachment:
    """Add an attachment to an article, or retitle one; a new file is checked (type, size)."""
    require_staff(by)
    upload = attachment.file
    if upload and not upload._committed:  # a new file, not yet in the storage
        validate_upload(upload, types=ATTACHMENT_TYPES, max_mb=20)
    attachment.title = attachment.title or (upload.name if upload else "")
    attachment.full_clean()
    attachment.save()
    forget_home_page()
    return attachment


@service
def attachment_remove(attachment: Attachment, *, by) -> None:
    require_staff(by)
    attachment.delete()
    forget_home_page()


# --- Sending a notice --------------------------------------------------------------------
@service
def notice_send(
    article: Article, *, by, segment: str, county=None, round=None, recipient_list=None
) -> Distribution:
    """Send a published notice to a segment. The recipients are resolved and notified by a
    background task (``content.send_notice``) once this transaction commits."""
    require_staff(by)
    article = _locked(article)
    if article.kind != Kind.NOTICE:
        raise ValidationError(_("只有通知公告可以下发。"))
    if article.status != Status.PUBLISHED:
        raise ValidationError(_("通知须先发布，才能下发。"))
    if segment not in Segment.values:
        raise ValidationError(_("请选择发送对象。"))
    distribution = Distribution(
        article=article,
        segment=segment,
        county=county if segment == Segment.COUNTY_STATIONS else None,
        round=round if segment == Segment.GRADUATES else None,
        recipient_list=recipient_list if segment == Segment.SAVED_LIST else None,
        created_by=by,
    )
    distribution.full_clean()
    distribution.save()
    from .tasks import send_notice

    enqueue_on_commit(send_notice, distribution.pk)
    return distribution


@service
def recipient_list_save(
    recipient_list: RecipientList | None, *, by, name: str, users, note: str = ""
) -> RecipientList:
    """Staff save a named list of recipients (new, or an existing list changed). Only
    active accounts can receive a notice, so an inactive one is refused by name."""
    require_staff(by)
    users = list(users)
    inactive = [str(u) for u in users if not u.is_active]
    if inactive:
        raise ValidationError(
            _("以下账号已停用，不能加入名单：%(names)s") % {"names": "、".join(inactive)}
        )
    if not users:
        raise ValidationError(_("名单中至少要有一位收件人。"))
    if recipient_list is None or recipient_list.pk is None:
        recipient_list = RecipientList(created_by=by)
    else:
        recipient_list = RecipientList.objects.select_for_update().get(pk=recipient_list.pk)
    recipient_list.name = (name or "").strip()
    recipient_list.note = (note or "").strip()
    recipient_list.full_clean()
    recipient_list.save()
    recipient_list.users.set(users)
    return recipient_list


def _message(article: Article, *, reminder: bool = False) -> dict:
    title = article.title
    if reminder:
        title = _("【提醒】%(title)s") % {"title": title}
    if article.reply_by:
        deadline = _("请于%(date)s前回执。") % {"date": f"{article.reply_by:%Y年%m月%d日}"}
    else:
        deadline = _("请登录平台查看并确认已阅。")
    return {"title": title, "body": f"{plain_text(article.body, 300)}\n\n{deadline}"}


def distribution_run(distribution_id: int) -> int:
    """Resolve the recipients into delivery rows, then notify those not yet notified in
    batches, each batch one transaction with its inbox entries, outbox e-mails and the
    rows' ``notified_at``. A worker killed mid-send loses only its open batch, which the
    re-run sends; no recipient gets the notice twice (one delivery per notice and user).
    Returns the number notified by this run."""
    from association.notifications.services import notify

    from .selectors import segment_recipients

    with history_context("content.distribution_run"):
        distribution = Distribution.objects.select_related("article").get(pk=distribution_id)
        article = distribution.article
        if distribution.status == SendStatus.DONE:
            return 0
        with transaction.atomic():
            recipients = segment_recipients(distribution)
            Delivery.objects.bulk_create(
                [
                    Delivery(
                        article=article,
                        distribution=distribution,
                        user_id=r.user_id,
                        unit=r.unit[:200],
                        county_id=r.county_id,
                    )
                    for r in recipients
                ],
                ignore_conflicts=True,  # already sent this notice by another distribution
                batch_size=1000,
            )
            total = Delivery.objects.filter(distribution=distribution).count()
            Distribution.objects.filter(pk=distribution.pk).update(
                status=SendStatus.SENDING, total=total
            )
        url = article.get_absolute_url()
        message = _message(article)
        notified = 0
        while True:
            with transaction.atomic():
                batch = list(
                    Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(distribution=distribution, notified_at__isnull=True)
                    .select_related("user")
                    .order_by("id")[: conf.send_batch()]
                )
                if not batch:
                    break
                notify([d.user for d in batch], "message", message, url=url)
                now = timezone.now()
                texts = []
                if article.urgent:
                    texts = [d.user.mobile for d in batch if d.user.mobile]
                    Delivery.objects.filter(pk__in=[d.pk for d in batch if d.user.mobile]).update(
                        sms_sent_at=now
                    )
                Delivery.objects.filter(pk__in=[d.pk for d in batch]).update(notified_at=now)
                Distribution.objects.filter(pk=distribution.pk).update(
                    sent=Delivery.objects.filter(
                        distribution=distribution, notified_at__isnull=False
                    ).count()
                )
                if texts:
                    _sms_on_commit(texts, article.title)
                notified += len(batch)
        # Rows another run holds (skipped above) are not sent yet: that run finishes the
        # distribution, or, were its worker killed, the beat's requeue_sends does once the
        # dead connection's locks are gone. Marked done now, they would never be sent.
        if not Delivery.objects.filter(
            distribution=distribution, notified_at__isnull=True
        ).exists():
            Distribution.objects.filter(pk=distribution.pk).update(
                status=SendStatus.DONE, finished_at=timezone.now()
            )
        return notified


def _sms_on_commit(mobiles: list[str], title: str) -> None:
    from association.accounts.sms import send_sms

    text = _("【许昌市社会工作行业协会】紧急通知：%(title)s。请登录平台查看。") % {"title": title}

    def send():
        for mobile in mobiles:
            try:
                send_sms(mobile, text)
            except Exception:  # one failed text must not stop the others
                logger.warning("SMS to %s failed", mobile, exc_info=True)

    transaction.on_commit(send)


# --- Receipts ----------------------------------------------------------------------------
@service
def delivery_read(delivery: Delivery, *, by) -> Delivery:
    """The recipient confirms (已阅). Twice is harmless."""
    require(can_answer(by, delivery), _("只有收件人可以确认此通知。"))
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.read_at is None:
        delivery.read_at = timezone.now()
        delivery.save(update_fields=["read_at"])
    return delivery


@service
def delivery_reply(delivery: Delivery, *, by, text: str, upload=None) -> Delivery:
    """The recipient replies with a short text and, if asked, a file (a filled form)."""
    require(can_answer(by, delivery), _("只有收件人可以回复此通知。"))
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    text = (text or "").strip()
    if not text and upload is None:
        raise ValidationError(_("请填写回复内容或上传附件。"))
    if len(text) > 1000:
        raise ValidationError(_("回复内容不能超过 1000 字。"))
    if upload is not None:
        validate_upload(upload, types=REPLY_TYPES, max_mb=20)
        delivery.reply_file = upload
    now = timezone.now()
    delivery.reply_text = text
    delivery.read_at = delivery.read_at or now
    delivery.replied_at = now
    delivery.save()
    return delivery


def _waiting(article: Article):
    """Recipients who have not answered: not replied when a reply is due, else not read."""
    deliveries = Delivery.objects.filter(article=article, notified_at__isnull=False)
    if article.reply_by:
        return deliveries.filter(replied_at__isnull=True)
    return deliveries.filter(read_at__isnull=True)


def _remind(article: Article, deliveries) -> int:
    from association.notifications.services import notify

    deliveries = list(deliveries.select_related("user"))
    if not deliveries:
        return 0
    notify(
        [d.user for d in deliveries],
        "message",
        _message(article, reminder=True),
        url=article.get_absolute_url(),
    )
    from django.db.models import F

    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
        reminded_at=timezone.now(), reminders=F("reminders") + 1
    )
    return len(deliveries)


@service
def notice_remind(article: Article, *, by) -> int:
    """Staff's one click: remind everyone who has not answered. Returns how many."""
    require_staff(by)
    count = _remind(article, _waiting(article))
    if not count:
        raise ValidationError(_("所有收件人均已回执，无需提醒。"))
    return count


def reminders_send_due(today: datetime.date | None = None) -> int:
    """Beat's daily sweep: notices due within ``CONTENT_REMINDER_DAYS`` remind those who
    have not answered, once a day at most."""
    today = today or timezone.localdate()
    last = today + datetime.timedelta(days=conf.reminder_days())
    start_of_today = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    sent = 0
    articles = Article.objects.filter(
        kind=Kind.NOTICE, status=Status.PUBLISHED, reply_by__gte=today, reply_by__lte=last
    )
    for article in articles:
        with history_context("content.reminders_send_due"), transaction.atomic():
            waiting = _waiting(article).exclude(reminded_at__gte=start_of_today)
            sent += _remind(article, waiting)
    return sent


def reply_url(delivery: Delivery) -> str:
    return reverse("content:delivery_detail", args=[delivery.pk])
