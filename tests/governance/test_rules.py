"""The arithmetic, computed by hand."""

from fractions import Fraction

import pytest

from association.governance.rules import Threshold, motion_outcome, position_outcome, quorum, show

TWO_THIRDS = Threshold(2, 3, strict=False)
HALF = Threshold(1, 2, strict=True)


def test_it_needs_54_of_80_for_a_two_thirds_quorum():
    # 80 × 2/3 = 53 1/3: 53 present is not a quorum, 54 is.
    assert not quorum(entitled=80, present=53, threshold=TWO_THIRDS).reached
    q = quorum(entitled=80, present=54, threshold=TWO_THIRDS)
    assert q.reached
    assert q.needed == 54
    assert "54 ≥ 80 × 2/3 = 53 1/3" in q.text
    assert "53 < 80 × 2/3 = 53 1/3" in quorum(entitled=80, present=53, threshold=TWO_THIRDS).text


def test_it_shows_the_arithmetic_of_the_issue_example():
    outcome = motion_outcome(
        entitled=80,
        present=54,
        yes=41,
        no=10,
        abstain=3,
        quorum_threshold=TWO_THIRDS,
        pass_threshold=HALF,
    )
    assert outcome.passed
    assert "赞成 41 票 > 实到 54 人 × 1/2 = 27" in outcome.text
    assert outcome.text.endswith("通过")


def test_it_needs_more_than_half_not_exactly_half():
    # 54 present: 27 yes is exactly half, not more: fails; 28 passes.
    common = {"entitled": 80, "present": 54, "quorum_threshold": TWO_THIRDS, "pass_threshold": HALF}
    assert not motion_outcome(yes=27, no=27, abstain=0, **common).passed
    assert motion_outcome(yes=28, no=26, abstain=0, **common).passed
    # Odd number present: 55 / 2 = 27 1/2, so 28 is more than half.
    odd = dict(common, present=55)
    assert motion_outcome(yes=28, no=27, abstain=0, **odd).passed
    assert "27 1/2" in motion_outcome(yes=27, no=28, abstain=0, **odd).text


def test_it_needs_two_thirds_of_those_present_for_a_charter_amendment():
    common = {
        "entitled": 80,
        "present": 60,
        "quorum_threshold": TWO_THIRDS,
        "pass_threshold": TWO_THIRDS,
    }
    assert motion_outcome(yes=40, no=20, abstain=0, **common).passed  # 40 = 60 × 2/3
    assert not motion_outcome(yes=39, no=21, abstain=0, **common).passed


def test_it_never_passes_without_a_quorum():
    outcome = motion_outcome(
        entitled=80,
        present=53,
        yes=53,
        no=0,
        abstain=0,
        quorum_threshold=TWO_THIRDS,
        pass_threshold=HALF,
    )
    assert not outcome.passed
    assert "未达到法定人数" in outcome.text


def test_it_refuses_more_votes_than_present():
    with pytest.raises(ValueError):
        motion_outcome(
            entitled=80,
            present=54,
            yes=50,
            no=5,
            abstain=0,
            quorum_threshold=TWO_THIRDS,
            pass_threshold=HALF,
        )


def test_it_writes_fractions_as_people_do():
    assert show(Fraction(160, 3)) == "53 1/3"
    assert show(Fraction(27)) == "27"
    assert show(Fraction(2, 3)) == "2/3"


def test_it_elects_by_votes_among_those_over_half():
    # 60 voters, 3 seats: more than 30 votes needed.
    result = position_outcome(
        seats=3, base=60, threshold=HALF, votes={"甲": 50, "乙": 45, "丙": 31, "丁": 30, "戊": 12}
    )
    assert result.elected == ["甲", "乙", "丙"]
    assert result.unfilled == 0 and result.further_round == []
    line = next(line for line in result.lines if line.candidate == "丁")
    assert "30 票 ≤ 60 × 1/2 = 30" in line.text


def test_it_sends_a_tie_for_the_last_seat_to_a_further_round():
    # 2 seats: 甲 elected, 乙 and 丙 tie for the second seat with 40 each.
    result = position_outcome(
        seats=2, base=60, threshold=HALF, votes={"甲": 55, "乙": 40, "丙": 40, "丁": 10}
    )
    assert result.elected == ["甲"]
    assert sorted(result.tied) == ["丙", "乙"]
    assert result.unfilled == 1
    assert sorted(result.further_round) == ["丙", "乙"]


def test_it_leaves_a_seat_unfilled_when_too_few_have_more_than_half():
    # 3 seats, 60 voters: only two candidates have more than 30.
    result = position_outcome(
        seats=3, base=60, threshold=HALF, votes={"甲": 52, "乙": 33, "丙": 30, "丁": 29}
    )
    assert result.elected == ["甲", "乙"]
    assert result.unfilled == 1
    assert result.further_round == ["丙", "丁"]
    assert "缺额 1 名" in result.text


def test_it_elects_everyone_in_a_tie_that_fits_the_seats():
    result = position_outcome(seats=2, base=10, threshold=HALF, votes={"甲": 8, "乙": 8, "丙": 1})
    assert result.elected == ["甲", "乙"]
    assert result.tied == []
