"""Install the uv that uv.lock pins, with pip, checking the lock's hashes.

uv installs everything else from the lock; this installs uv itself, the one step that
happens before uv exists. The version and the sha256 of every uv file come from the lock
(uv is in the dev group of pyproject.toml), so there is one place to bump it: change the
pin in pyproject.toml and run `make lock`.

Used by the Makefile (`python tools/bootstrap_uv.py`, with the virtualenv's python) and the
Dockerfile. Needs Python 3.11+ (tomllib) and pip; no third-party module.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "uv.lock"


def uv_requirement(lock: Path = LOCK) -> str:
    """The pip requirement line for the locked uv: ``uv==X --hash=sha256:... ...``."""
    data = tomllib.loads(lock.read_text(encoding="utf-8"))
    for package in data.get("package", []):
        if package["name"] == "uv":
            files = [*package.get("wheels", []), package.get("sdist") or {}]
            hashes = sorted({item["hash"] for item in files if item.get("hash")})
            if not hashes:
                break
            return " ".join([f"uv=={package['version']}", *(f"--hash={h}" for h in hashes)])
    raise SystemExit(f"{lock} pins no uv with hashes: add uv to the dev group and run `uv lock`")


def main() -> int:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as requirements:
        requirements.write(uv_requirement() + "\n")
    try:
        command = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps"]
        command += ["--require-hashes", "--only-binary", ":all:", "-r", requirements.name]
        return subprocess.call(command)  # noqa: S603 (a fixed command: this python, pip)
    finally:
        Path(requirements.name).unlink()


if __name__ == "__main__":
    sys.exit(main())
