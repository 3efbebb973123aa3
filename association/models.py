"""The portal shell's own table: the heartbeat of the background processes."""

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
