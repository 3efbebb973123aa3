"""Pure rules, kept apart from the database so tests read them plainly: who may apply to the
programme, and what in a published story would identify a minor of a court referral."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .choices import Criterion


def _year_matches(year: int, allowed: str) -> bool:
    allowed = allowed.replace("—", "-").replace("–", "-").replace("~", "-")
    if "-" in allowed:
        low, _sep, high = allowed.partition("-")
        try:
            return int(low) <= year <= int(high)
        except ValueError:
            return False
    try:
        return year == int(allowed)
    except ValueError:
        return False


def _normal(text: str) -> str:
    return "".join((text or "").split()).lower().replace("(", "(").replace(")", ")")


def criterion_met(criterion: str, values: list[str], applicant: dict) -> bool:
    """Whether one criterion's allowed values admit the applicant (any value suffices)."""
    if criterion == Criterion.GRADUATION_YEAR:
        year = applicant.get("graduation_year")
        return year is not None and any(_year_matches(int(year), value) for value in values)
    if criterion == Criterion.MAJOR:
        major = _normal(applicant.get("major", ""))
        return bool(major) and any(_normal(value) in major for value in values)
    if criterion == Criterion.UNIVERSITY:
        university = _normal(applicant.get("university", ""))
        return any(_normal(value) == university for value in values)
    if criterion == Criterion.DEGREE:
        degree = applicant.get("degree", "")
        return any(value == degree or value == str(_label(degree)) for value in values)
    return False


def _label(degree: str):
    from .choices import Degree

    try:
        return Degree(degree).label
    except ValueError:
        return degree


def eligibility_failures(rules, applicant: dict) -> list[str]:
    """The unmet criteria as Chinese messages (empty: eligible). Rules of the same
    criterion are alternatives; every criterion that has rules must be met."""
    by_criterion: dict[str, list[str]] = {}
    for rule in rules:
        by_criterion.setdefault(rule.criterion, []).extend(rule.values())
    failures = []
    for criterion, values in by_criterion.items():
        if not criterion_met(criterion, values, applicant):
            failures.append(
                _("不符合报名条件“%(criterion)s”：须为 %(values)s。")
                % {"criterion": Criterion(criterion).label, "values": "、".join(values)}
            )
    return failures


# --- Stories of a case ------------------------------------------------------------------


def _identifiers(referral) -> list[str]:
    names = []
    name = (referral.minor_name or "").strip()
    if name:
        names.append(name)
        if len(name) >= 3:  # the given name alone (王小明 → 小明)
            names.append(name[1:])
    for value in (referral.minor_school, referral.minor_address, referral.guardian_name):
        if value and value.strip():
            names.append(value.strip())
    return names


def story_problems(*, story) -> list[str]:
    """What in the story would identify the minor: their name, school or address."""
    if story.referral_id is None:
        return []
    text = "".join(f"{story.title}\n{story.body}".split())
    problems = []
    labels = {
        "name": _("未成年人姓名"),
        "school": _("就读学校"),
        "address": _("住址"),
        "guardian": _("监护人姓名"),
    }
    referral = story.referral
    checks = [
        ("name", [v for v in _identifiers(referral)[:2] if v]),
        ("school", [referral.minor_school]),
        ("address", [referral.minor_address]),
        ("guardian", [referral.guardian_name]),
    ]
    for key, values in checks:
        for value in values:
            value = "".join((value or "").split())
            if value and value in text:
                problems.append(_("稿件含有%(what)s，发布前须删除。") % {"what": labels[key]})
                break
    return problems


# --- A graduate's pipeline, as the applicant's page shows it ---------------------------

PIPELINE_STAGES = (
    gettext_lazy("申请"),
    gettext_lazy("筛选"),
    gettext_lazy("面试"),
    gettext_lazy("录用"),
    gettext_lazy("协议"),
    gettext_lazy("培训"),
    gettext_lazy("服务"),
    gettext_lazy("结业"),
    gettext_lazy("跟踪"),
)


def pipeline_position(status: str, *, trained: bool = False, followed_up: bool = False) -> int:
    """The index (in ``PIPELINE_STAGES``) of the stage an application is at: the stages
    before it are done. ``len(PIPELINE_STAGES)`` when every stage is done. An application
    that stopped (rejected, declined, withdrawn) is placed by the caller at the stage
    where it stopped (its last status before)."""
    at = {
        "submitted": 1,
        "screened": 2,
        "interviewed": 3,
        "offered": 3,
        "accepted": 4,
        "serving": 6 if trained else 5,
        "completed": 9 if followed_up else 8,
    }
    return at.get(status, 0)


def next_step(status: str, *, trained: bool = False) -> str:
    """What the graduate must do next (or wait for), in one sentence."""
    steps = {
        "submitted": _("报名已提交，请等待协会资格审查。"),
        "screened": _("资格审查已通过，请留意面试通知并按时参加面试。"),
        "interviewed": _("面试已完成，请等待录用结果。"),
        "offered": _("您已被录取，请在本页接受或放弃录取。"),
        "accepted": _("请到协会签署服务协议，并参加系统培训；协议登记后即进入服务期。"),
        "serving": _("请按协议在项目中开展服务，接受督导的定期考核。")
        if trained
        else _("请参加系统培训（出勤学时计入继续教育），并按协议开展服务。"),
        "completed": _("服务期满，请下载结业证书；协会将跟踪回访您的去向。"),
        "rejected": _("本次报名未通过，欢迎关注下一批次招募。"),
        "declined": _("您已放弃本次录取。"),
        "withdrawn": _("您已撤回申请。"),
    }
    return str(steps.get(status, ""))
