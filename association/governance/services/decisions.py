"""Decisions the other apps follow: how a passed motion is cited, the check that it was
adopted under the rules, and the dues standard the general meeting sets."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from association.accounts.roles import require_staff
from association.services import service

from ..choices import MeetingKind, MotionStatus, VoteMethod
from ..models import Motion
from ..rules import Threshold, quorum

# --- Decisions the other apps follow ---------------------------------------------------

# 民发〔2014〕166号: dues are set by the general meeting with at least two thirds of the
# members (representatives) present, approved by at least half of those present, by
# secret ballot. The meeting's own rules may ask for more; never for less.
DUES_QUORUM_FLOOR = Threshold(2, 3, False)
DUES_PASS_FLOOR = Threshold(1, 2, False)


def motion_reference(motion: Motion) -> str:
    """How a decision is cited: the meeting, its date and the motion."""
    return _("%(meeting)s（%(day)s）第%(number)d号议案《%(title)s》") % {
        "meeting": motion.meeting.title,
        "day": timezone.localdate(motion.meeting.starts_at).isoformat(),
        "number": motion.number,
        "title": motion.title,
    }


def require_adopting_motion(motion: Motion, *, general_meeting: bool, secret: bool) -> Motion:
    """``motion`` (locked, with its meeting and rules) if it passed with the quorum and the
    majority of the rules the meeting was held under; otherwise a refusal that shows the
    arithmetic."""
    motion = (
        Motion.objects.select_for_update().select_related("meeting__rule_set").get(pk=motion.pk)
    )
    meeting = motion.meeting
    if general_meeting and meeting.kind != MeetingKind.GENERAL:
        raise ValidationError(
            _("“%(motion)s”不是会员（代表）大会的议案，不能据以设定。") % {"motion": motion.title}
        )
    if not meeting.decides:
        raise ValidationError(_("研讨会不作表决。"))
    if motion.status != MotionStatus.DECIDED or motion.passed is None:
        raise ValidationError(_("议案“%(motion)s”尚未表决。") % {"motion": motion.title})
    if secret and motion.vote_method != VoteMethod.SECRET:
        raise ValidationError(
            _("议案“%(motion)s”不是以无记名投票方式表决的。") % {"motion": motion.title}
        )
    rules = meeting.rule_set
    q = quorum(entitled=motion.entitled, present=motion.present, threshold=rules.quorum_threshold)
    if not q.reached:
        raise ValidationError(
            _("议案“%(motion)s”表决时会议未达到法定人数：%(arithmetic)s。")
            % {"motion": motion.title, "arithmetic": q.text}
        )
    if not motion.passed:
        raise ValidationError(
            _("议案“%(motion)s”未获通过：%(arithmetic)s。")
            % {"motion": motion.title, "arithmetic": motion.arithmetic}
        )
    return motion


@service
def dues_standard_adopt(
    *,
    motion: Motion,
    by,
    member_type: str,
    amount,
    effective_from: datetime.date,
):
    """Record the dues standard a passed motion of the general meeting set: secret
    ballot, the quorum and majority of the meeting's rules and never below the floors of
    民发〔2014〕166号 (two thirds present, half of those present in favour). The standard
    keeps the motion's id and cites the meeting and the motion. The members admitted
    before any standard of their type existed (the founders) are billed their first year
    at it (``members.services.dues_bill_awaiting_standard``)."""
    from members.services import dues_bill_awaiting_standard, dues_standard_record

    require_staff(by)
    motion = require_adopting_motion(motion, general_meeting=True, secret=True)
    floor = quorum(entitled=motion.entitled, present=motion.present, threshold=DUES_QUORUM_FLOOR)
    if not floor.reached:
        raise ValidationError(
            _("会费标准须有三分之二以上会员（代表）出席：%(arithmetic)s。")
            % {"arithmetic": floor.text}
        )
    if not DUES_PASS_FLOOR.met(motion.yes, motion.present):
        raise ValidationError(
            _(
                "会费标准须经到会会员（代表）半数以上表决通过：赞成 %(yes)d 票，"
                "到会 %(present)d 人。"
            )
            % {"yes": motion.yes, "present": motion.present}
        )
    standard = dues_standard_record(
        by=by,
        member_type=member_type,
        amount=amount,
        effective_from=effective_from,
        motion_ref=motion.pk,
        adopted_on=timezone.localdate(motion.meeting.starts_at),
        resolution=motion_reference(motion)[:300],
    )
    dues_bill_awaiting_standard(standard=standard, by=by)
    return standard
