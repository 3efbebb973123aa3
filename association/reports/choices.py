from django.db import models
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("生成失败")


# The one table of allowed run transitions. A redelivered task may take a run that a
# killed worker left "running" (its heartbeat stopped) and build it again, and the sweep
# hands such a run back to the queue; a finished run is never rebuilt.
RUN_TRANSITIONS: dict[str, set[str]] = {
    RunStatus.QUEUED: {RunStatus.RUNNING, RunStatus.FAILED},
    RunStatus.RUNNING: {RunStatus.QUEUED, RunStatus.RUNNING, RunStatus.DONE, RunStatus.FAILED},
    RunStatus.DONE: set(),
    RunStatus.FAILED: set(),
}
FINISHED = {RunStatus.DONE, RunStatus.FAILED}


class Format(models.TextChoices):
    XLSX = "xlsx", _("Excel 表格（xlsx）")
    PDF = "pdf", _("PDF 文档")
