"""Corrections to a meeting's roll before it is frozen, each with its reason."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RollCorrection(models.Model):
    """A line of the roll's correction log: who was added or removed, why, by whom. The
    roll is drawn from the register before the meeting and frozen when it opens; until
    then staff may correct it (a representative replaced, a member whose dues were
    recorded late), and every correction is kept here."""

    class Action(models.TextChoices):
        DRAW = "draw", _("生成名单")
        ADD = "add", _("增补")
        REMOVE = "remove", _("移出")

    meeting = models.ForeignKey(
        "governance.Meeting",
        verbose_name=_("会议"),
        on_delete=models.CASCADE,
        related_name="roll_corrections",
    )
    action = models.CharField(_("更正事项"), max_length=10, choices=Action.choices)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    affiliation = models.CharField(_("所属单位"), max_length=200, blank=True)
    reason = models.CharField(_("理由"), max_length=300)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("名单更正记录")
        verbose_name_plural = _("名单更正记录")
        ordering = ["meeting_id", "at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""),
                name="governance_rollcorrection_has_reason",
                violation_error_message=_("请填写更正理由。"),
            )
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.name}"
