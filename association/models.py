"""The portal shell's own tables: the heartbeat of the background processes, and the log of
changes that figures kept between requests are checked against (``association.changes``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """When a background process last showed it is alive: one row per source, overwritten.

    Beat's ``association-heartbeat`` entry sends ``association.heartbeat`` every minute:
    sending it stamps ``beat`` (in the beat process), running it stamps ``worker``.
    ``/health/`` reads these rows instead of asking the broker on every probe
    (``association.heartbeat``). Not history-tracked: it changes every minute and says
    nothing about anyone's data.
    """

    class Source(models.TextChoices):
        WORKER = "worker", _("后台任务进程（Celery worker）")
        BEAT = "beat", _("定时调度进程（Celery beat）")

    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, primary_key=True)
    seen_at = models.DateTimeField(_("最近一次"))

    class Meta:
        verbose_name = _("心跳")
        verbose_name_plural = _("心跳")

    def __str__(self) -> str:
        return f"{self.get_source_display()}：{self.seen_at:%Y-%m-%d %H:%M:%S}"


class TableChange(models.Model):
    """One committed statement that changed a table some figures are computed from.

    A statement-level trigger on each of a topic's tables (``association.changes.trigger``)
    adds a row in the statement's own transaction: the row is there exactly when the change
    is committed. ``association.changes`` reads a topic's *generation* from these rows and
    keeps figures computed from its tables until it changes. Inserts only, so writers never
    wait on one another; ``changes.prune`` folds the rows into :class:`TableChangeTotal`.
    """

    id = models.BigAutoField(primary_key=True)
    topic = models.CharField(_("主题"), max_length=32)

    class Meta:
        verbose_name = _("数据变更")
        verbose_name_plural = _("数据变更")
        indexes = [models.Index(fields=["topic", "id"], name="association_change_topic")]

    def __str__(self) -> str:
        return f"{self.topic} #{self.id}"


class TableChangeTotal(models.Model):
    """The rows of :class:`TableChange` already pruned for a topic: how many, and the
    highest id, so that a topic's generation only ever grows."""

    topic = models.CharField(_("主题"), max_length=32, primary_key=True)
    pruned = models.BigIntegerField(_("已合并的变更数"), default=0)
    last_id = models.BigIntegerField(_("最后的变更编号"), default=0)

    class Meta:
        verbose_name = _("数据变更合计")
        verbose_name_plural = _("数据变更合计")

    def __str__(self) -> str:
        return f"{self.topic}: {self.pruned}"
