"""The figures docs/security.md quotes, written by the security suite as each run measures them."""

from __future__ import annotations

import json
from pathlib import Path

import association.settings

FIGURES = Path(association.settings.BASE_DIR) / "test-artifacts" / "security"


def record(file: str, key: str, figures: dict) -> dict:
    """Merge ``{key: figures}`` into ``test-artifacts/security/<file>`` and return the whole."""
    FIGURES.mkdir(parents=True, exist_ok=True)
    path = FIGURES / file
    known = json.loads(path.read_text()) if path.exists() else {}
    known[key] = figures
    path.write_text(json.dumps(known, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return known
