"""The projects app's entries in the portal menu: only what exists and the user may use."""

from __future__ import annotations


def portal_nav(user) -> list:
    return []
