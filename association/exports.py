"""Safe cells for exported spreadsheets and CSV files.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is read
as a formula by Excel and WPS: a value a member typed (``=cmd()``) would run on an
official's machine. Every export passes its text cells through :func:`safe_cell`.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Prefix a formula-like string with an apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
