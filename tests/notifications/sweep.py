"""Sweep cases of the notifications pages added after the foundation (see tests/sweep.py)."""

from tests.sweep import ALL_PERSONAS, Case

CASES = {
    "notifications:preferences": Case(allowed=ALL_PERSONAS),
}
