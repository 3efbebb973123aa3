"""The arithmetic of meetings and votes, as pure functions: no queries, no clock, no floats.

Every decision is returned with the arithmetic that led to it, written out in words
("出席 54 人 ≥ 应到 80 人的 2/3 = 53 1/3"), so the minutes and the screen show why a
meeting could decide and why a motion passed, and a reader can check it by hand.
Fractions are :class:`fractions.Fraction`; comparisons are made on integers
(``part × d > n × whole``), so 2/3 of 80 is exactly 160/3, never 53.333….
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from django.utils.translation import gettext as _


def show(value: Fraction | int) -> str:
    """A fraction as people write it: 27, 53 1/3, 2/3."""
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    whole, rest = divmod(value.numerator, value.denominator)
    if whole == 0:
        return f"{rest}/{value.denominator}"
    return f"{whole} {rest}/{value.denominator}"


@dataclass(frozen=True)
class Threshold:
    """``part`` must be more than (``strict``) or at least ``numerator/denominator`` of
    ``whole``."""

    numerator: int
    denominator: int
    strict: bool

    def __post_init__(self):
        if self.denominator <= 0 or not 0 < self.numerator <= self.denominator:
            raise ValueError("a threshold is a fraction between 0 and 1")

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    def met(self, part: int, whole: int) -> bool:
        if self.strict:
            return part * self.denominator > self.numerator * whole
        return part * self.denominator >= self.numerator * whole

    def bar(self, whole: int) -> Fraction:
        return self.fraction * whole

    @property
    def sign(self) -> str:
        return ">" if self.strict else "≥"

    @property
    def label(self) -> str:
        if self.fraction == Fraction(1, 2) and self.strict:
            return _("过半数")
        if self.strict:
            return _("超过%(f)s") % {"f": show(self.fraction)}
        return _("不少于%(f)s") % {"f": show(self.fraction)}


@dataclass(frozen=True)
class Quorum:
    entitled: int
    present: int
    threshold: Threshold
    reached: bool
    text: str

    @property
    def needed(self) -> int:
        """The smallest number present that makes a quorum."""
        n = 0
        while not self.threshold.met(n, self.entitled) and n <= self.entitled:
            n += 1
        return n


def quorum(*, entitled: int, present: int, threshold: Threshold) -> Quorum:
    """Whether ``present`` of ``entitled`` make a quorum, with the arithmetic."""
    reached = entitled > 0 and threshold.met(present, entitled)
    bar = threshold.bar(entitled)
    text = _(
        "应到 %(entitled)d 人，实到 %(present)d 人；%(present)d %(cmp)s %(entitled)d × %(f)s = "
        "%(bar)s:%(verdict)s"
    ) % {
        "entitled": entitled,
        "present": present,
        "cmp": threshold.sign if reached else ("≤" if threshold.strict else "<"),
        "f": show(threshold.fraction),
        "bar": show(bar),
        "verdict": _("达到法定人数，可以作出决议")
        if reached
        else _("未达到法定人数，不能作出决议"),
    }
    return Quorum(entitled, present, threshold, reached, text)


@dataclass(frozen=True)
class MotionOutcome:
    passed: bool
    quorum: Quorum
    yes: int
    no: int
    abstain: int
    text: str


def motion_outcome(
    *,
    entitled: int,
    present: int,
    yes: int,
    no: int,
    abstain: int,
    quorum_threshold: Threshold,
    pass_threshold: Threshold,
) -> MotionOutcome:
    """The outcome of a vote: the base is those present (``present``), as the charter says."""
    if min(entitled, present, yes, no, abstain) < 0:
        raise ValueError("counts are never negative")
    if yes + no + abstain > present:
        raise ValueError("more votes than members present")
    q = quorum(entitled=entitled, present=present, threshold=quorum_threshold)
    passed = q.reached and pass_threshold.met(yes, present)
    bar = pass_threshold.bar(present)
    if not q.reached:
        vote = _("未达到法定人数，表决无效：未通过")
    else:
        vote = _(
            "赞成 %(yes)d 票 %(cmp)s 实到 %(present)d 人 × %(f)s = %(bar)s（反对 %(no)d 票，弃权 "
            "%(abstain)d 票）：%(verdict)s"
        ) % {
            "yes": yes,
            "cmp": pass_threshold.sign if passed else ("≤" if pass_threshold.strict else "<"),
            "present": present,
            "f": show(pass_threshold.fraction),
            "bar": show(bar),
            "no": no,
            "abstain": abstain,
            "verdict": _("通过") if passed else _("未通过"),
        }
    return MotionOutcome(passed, q, yes, no, abstain, f"{q.text};{vote}")


# --- Elections ------------------------------------------------------------------------


@dataclass
class CandidateLine:
    candidate: object
    votes: int
    qualified: bool
    elected: bool = False
    tied: bool = False
    text: str = ""


@dataclass
class PositionOutcome:
    """One position's result: who is elected, who tied for the last seats, how many seats
    remain, and who goes to a further round."""

    seats: int
    base: int
    lines: list[CandidateLine]
    elected: list = field(default_factory=list)
    tied: list = field(default_factory=list)
    unfilled: int = 0
    further_round: list = field(default_factory=list)
    text: str = ""


def position_outcome(
    *, seats: int, votes: dict, base: int, threshold: Threshold, order=None
) -> PositionOutcome:
    """Seats go to the candidates with the most votes among those over the threshold
    (more than half of ``base``, the rule's base: voters on the roll or ballots cast).

    A tie for the last seat(s) elects none of the tied candidates: they go to a further
    round; seats that nobody filled go to a further round among the candidates not
    elected. ``votes`` maps a candidate to its votes; ``order`` breaks display ties only.
    """
    order = order or {}
    ranked = sorted(votes, key=lambda c: (-votes[c], order.get(c, 0)))
    bar = threshold.bar(base)
    lines = []
    for candidate in ranked:
        qualified = base > 0 and threshold.met(votes[candidate], base)
        lines.append(CandidateLine(candidate, votes[candidate], qualified))
    qualified = [line for line in lines if line.qualified]
    elected: list[CandidateLine] = []
    tied: list[CandidateLine] = []
    if len(qualified) <= seats:
        elected = qualified
    else:
        cutoff = qualified[seats - 1].votes
        above = [line for line in qualified if line.votes > cutoff]
        at = [line for line in qualified if line.votes == cutoff]
        if len(above) + len(at) <= seats:
            elected = above + at
        else:
            elected, tied = above, at
    for line in elected:
        line.elected = True
    for line in tied:
        line.tied = True
    for line in lines:
        params = {
            "votes": line.votes,
            "base": base,
            "f": show(threshold.fraction),
            "bar": show(bar),
        }
        if not line.qualified:
            sign = "≤" if threshold.strict else "<"
            line.text = _("%(votes)d 票 %(sign)s %(base)d × %(f)s = %(bar)s：未达到当选票数") % {
                **params,
                "sign": sign,
            }
        elif line.elected:
            line.text = _("%(votes)d 票 %(sign)s %(base)d × %(f)s = %(bar)s：当选") % {
                **params,
                "sign": threshold.sign,
            }
        elif line.tied:
            line.text = _(
                "%(votes)d 票 %(sign)s %(base)d × %(f)s = %(bar)s，但与他人票数相同、名额不足："
                "进入下一轮"
            ) % {**params, "sign": threshold.sign}
        else:
            line.text = _(
                "%(votes)d 票 %(sign)s %(base)d × %(f)s = %(bar)s，但名额已满：未当选"
            ) % {
                **params,
                "sign": threshold.sign,
            }
    unfilled = seats - len(elected)
    if tied:
        further = [line.candidate for line in tied]
    elif unfilled:
        further = [line.candidate for line in lines if not line.elected]
    else:
        further = []
    text = _("应选 %(seats)d 名，当选 %(elected)d 名") % {"seats": seats, "elected": len(elected)}
    if unfilled:
        text += _("，缺额 %(unfilled)d 名，另行选举") % {"unfilled": unfilled}
    return PositionOutcome(
        seats=seats,
        base=base,
        lines=lines,
        elected=[line.candidate for line in elected],
        tied=[line.candidate for line in tied],
        unfilled=unfilled,
        further_round=further,
        text=text,
    )
