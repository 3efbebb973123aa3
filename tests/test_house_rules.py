"""One way to do each thing (#12): the shared helpers are defined once, never copied into
an app. A copy is how the next person's change goes wrong in one place of five."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["association", "members", "stations", "projects"]

# name -> the one module allowed to define it
SHARED = {
    "require_staff": "association/accounts/roles.py",
    "require": "association/accounts/roles.py",
    "_page": None,
    "paginate": "association/web.py",
    "_move": None,
    "transition": "association/workflow.py",
    "send_on_commit": "association/services.py",
    "_send_on_commit": None,
    "run_service": "association/admin_actions.py",
    "with_form": "association/admin_actions.py",
    "_run": None,
    "add_years": None,  # dateutil.relativedelta
    "_errors": None,
    "_error": None,
    "_form_errors": None,
}


def python_files():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_it_defines_each_shared_helper_once():
    copies = []
    for path in python_files():
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.FunctionDef)
                and node.name in SHARED
                and SHARED[node.name] != relative
                and node.col_offset == 0
            ):
                copies.append(f"{relative}:{node.lineno} {node.name}")
    assert not copies, "use the shared helper instead of a copy:\n" + "\n".join(copies)


def test_it_keeps_no_state_aliases():
    """``S = MembershipState``: one more name for the reader to resolve."""
    aliases = []
    for path in python_files():
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and len(node.targets[0].id) == 1
                and isinstance(node.value, ast.Name)
            ):
                aliases.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.targets[0].id}")
    assert not aliases, aliases


# The Content-Security-Policy (style-src and script-src 'self', settings.py) drops inline
# style attributes, <style> and inline <script> blocks and on* handlers: in a template they
# silently do nothing (a progress bar's width, a field's size). The PDF templates are for
# WeasyPrint, not a browser.
INLINE = re.compile(
    r"""\sstyle\s*=\s*["']|<style[\s>]|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+\s*=\s*["']"""
)


def test_no_web_template_carries_inline_style_or_script():
    found = []
    patterns = ("templates/**/*.html", "*/templates/**/*.html", "*/*/templates/**/*.html")
    paths = {path for pattern in patterns for path in ROOT.glob(pattern)}
    for path in sorted(paths):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("templates/pdf/", ".venv/", "node_modules/")):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                found.append(f"{relative}:{number}")
    assert paths and not found, "the CSP blocks these; use a class in static/css:\n" + "\n".join(
        found
    )
