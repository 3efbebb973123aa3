#!/usr/bin/env python3
"""Chinese punctuation per GB/T 15834: full-width ，；：（）！？ in Chinese text.

Finds a half-width , ; : ( ) ! ? that touches Chinese text, and a space between Chinese
text and full-width punctuation, in the string literals of .py files (read with
``tokenize``: comments and code are not text), in .html templates and the .txt ones in
templates folders (e-mails: the text, and the quoted strings inside ``{% %}`` and
``{{ }}``; the rest of a template tag is code) and in the msgid of .po catalogues (the
Chinese source; an English msgstr is exempt).

Half-width stays inside numbers (``10:30``, ``1,000``), codes, URLs, English
(``Note: ...``) and format placeholders (``%(name)s``, ``{name}``, ``%s``).

A mark is Chinese punctuation when the character right before it is Chinese (or
full-width punctuation), or when the character right after it is and the one before is
not an English letter (after spaces: Chinese or a placeholder). A pair of parentheses
is converted together: when either mark touches Chinese text, or when it encloses
Chinese text after Chinese text.

    python tools/check_typography.py            # check the repository, exit 1 on a finding
    python tools/check_typography.py --fix      # rewrite the findings in place
    python tools/check_typography.py PATH ...   # only these files or folders

Genuine exceptions go in tools/typography_allow.txt: a line ``path`` exempts a file, a
line ``path | text`` exempts the lines of that file that contain ``text``.
"""

from __future__ import annotations

import argparse
import fnmatch
import io
import re
import subprocess
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOW_FILE = ROOT / "tools" / "typography_allow.txt"
SUFFIXES = (".py", ".html", ".txt", ".po")
SKIP_DIRS = {".venv", "node_modules", "var", ".git", "test-artifacts", "__pycache__"}

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}
HALF = set(FULL_WIDTH)
# Full-width punctuation that takes no space beside Chinese text.
FULL_PUNCT = set("，；：（）！？。、“”‘’《》【】…—")
SPACES = " \t"
NEUTRAL = "\x00"
GIT_LS_FILES = [
    "git",
    "ls-files",
    "--cached",
    "--others",
    "--exclude-standard",
]  # a masked span: a placeholder, a template tag, a URL

MASKS = re.compile(
    r"""
      %\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGcoa%]   # %(name)s
    | %[-#0 +]*\d*(?:\.\d+)?[sdifrx]                                 # %s %d %.2f
    | \{[A-Za-z_0-9.\[\]]*(?:![rsa])?(?::[^{}]*)?\}                  # {name} {0:.2f} {}
    | [A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]*                           # URLs
    """,
    re.VERBOSE,
)
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.DOTALL)
QUOTED = re.compile(r"""(?P<q>["'])(?P<text>.*?)(?P=q)""", re.DOTALL)


def is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2FFFF
        or 0xF900 <= code <= 0xFAFF
    )


def chinese(char: str | None) -> bool:
    """Chinese text or full-width punctuation."""
    return char is not None and (is_cjk(char) or char in FULL_PUNCT)


def mask(text: str, *, template: bool = False) -> str:
    """``text`` with placeholders, URLs (and template code) blanked, same length."""
    if template:

        def blank_tag(match: re.Match) -> str:
            tag = match.group(0)
            if tag.startswith("{#"):
                return NEUTRAL * len(tag)
            kept = [NEUTRAL] * len(tag)
            for quoted in QUOTED.finditer(tag):
                start, end = quoted.span("text")
                kept[start:end] = tag[start:end]
            return "".join(kept)

        text = TEMPLATE_TAG.sub(blank_tag, text)
    return MASKS.sub(lambda m: NEUTRAL * len(m.group(0)), text)


@dataclass(frozen=True)
class Finding:
    offset: int  # in the scanned text
    mark: str
    message: str


def _left(text: str, i: int, *, skip_spaces: bool = False) -> str | None:
    i -= 1
    while skip_spaces and i >= 0 and text[i] in SPACES:
        i -= 1
    return text[i] if i >= 0 else None


def _right(text: str, i: int, *, skip_spaces: bool = False) -> str | None:
    i += 1
    while skip_spaces and i < len(text) and text[i] in SPACES:
        i += 1
    return text[i] if i < len(text) else None


def _ascii_letter(char: str | None) -> bool:
    return char is not None and char.isascii() and char.isalpha()


def _paren_pairs(masked: str) -> dict[int, int]:
    pairs, stack = {}, []
    for i, char in enumerate(masked):
        if char == "(":
            stack.append(i)
        elif char == ")" and stack:
            start = stack.pop()
            pairs[start], pairs[i] = i, start
    return pairs


def _single_is_chinese(masked: str, i: int) -> bool:
    left, right = _left(masked, i), _right(masked, i)
    if chinese(left):
        return True
    if not chinese(right):
        return False
    if left is not None and left in SPACES:  # "姓名 (必填)", but not "``code`` (代码)"
        before = _left(masked, i, skip_spaces=True)
        return before is None or chinese(before) or before == NEUTRAL
    return not _ascii_letter(left)


def find(text: str, *, template: bool = False) -> list[Finding]:
    """The typography findings in one piece of text (a string literal, a template)."""
    masked = mask(text, template=template)
    pairs = _paren_pairs(masked)
    findings: list[Finding] = []
    for i, char in enumerate(masked):
        if char not in HALF:
            continue
        if char in "()" and i in pairs:
            start, end = sorted((i, pairs[i]))
            content = masked[start + 1 : end]
            hit = (
                _single_is_chinese(masked, start)
                or chinese(_right(masked, end))
                or (
                    any(is_cjk(c) for c in content)
                    and chinese(_left(masked, start, skip_spaces=True))
                )
            )
        else:
            hit = _single_is_chinese(masked, i)
        if hit:
            findings.append(
                Finding(i, char, f"half-width {char!r} in Chinese text: use {FULL_WIDTH[char]}")
            )
    for match in re.finditer(r"[ \t]+", masked):
        start, end = match.span()
        left = masked[start - 1] if start else None
        right = masked[end] if end < len(masked) else None
        full_left = left in FULL_PUNCT and (is_cjk(right or " ") or right in FULL_PUNCT)
        full_right = right in FULL_PUNCT and (is_cjk(left or " ") or left in FULL_PUNCT)
        if left and right and (full_left or full_right):
            findings.append(Finding(start, " ", "space beside full-width punctuation"))
    return sorted(findings, key=lambda f: f.offset)


def fix(text: str, *, template: bool = False) -> str:
    """``text`` with every finding rewritten (full-width marks, no space beside them)."""
    for _ in range(5):  # a converted mark can make its neighbour Chinese: repeat to a fixpoint
        findings = find(text, template=template)
        if not findings:
            return text
        chars = list(text)
        converted = set()
        for finding in findings:
            if finding.mark in FULL_WIDTH:
                chars[finding.offset] = FULL_WIDTH[finding.mark]
                converted.add(finding.offset)
        # Spaces on the same line beside a converted or full-width mark go.
        out = []
        for i, char in enumerate(chars):
            if char in SPACES:
                j = i
                while j > 0 and chars[j - 1] in SPACES:
                    j -= 1
                k = i
                while k < len(chars) - 1 and chars[k + 1] in SPACES:
                    k += 1
                left = chars[j - 1] if j > 0 else None
                right = chars[k + 1] if k + 1 < len(chars) else None
                beside_left = j - 1 in converted or (left in FULL_PUNCT and chinese(right))
                beside_right = k + 1 in converted or (right in FULL_PUNCT and chinese(left))
                if left and right and (beside_left or beside_right):
                    continue
            out.append(char)
        text = "".join(out)
    return text


# --- Files ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    path: str
    line: int
    column: int
    message: str
    source_line: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}: {self.source_line.strip()}"


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _python_strings(source: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the string literals of a Python source."""
    line_starts = [0]
    for line in source.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    spans = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return spans
    for token in tokens:
        if token.type == tokenize.STRING:
            start = line_starts[token.start[0] - 1] + token.start[1]
            end = line_starts[token.end[0] - 1] + token.end[1]
            spans.append((start, end))
    return spans


_PO_STRING = re.compile(
    r'^(?P<key>msgid(?:_plural)?|msgctxt|msgstr(?:\[\d+\])?)?\s*"(?P<text>.*)"\s*$'
)


def _po_msgids(source: str) -> list[tuple[list[tuple[int, int]], str]]:
    """Each msgid / msgid_plural: the (start, end) offsets of its quoted parts, and its text."""
    entries, current, key = [], None, None
    offset = 0
    for line in source.splitlines(keepends=True):
        match = _PO_STRING.match(line.rstrip("\n"))
        if match:
            if match.group("key"):
                key = match.group("key")
                current = None
                if key in ("msgid", "msgid_plural"):
                    current = ([], [])
                    entries.append(current)
            if current is not None:
                start = offset + match.start("text")
                current[0].append((start, start + len(match.group("text"))))
                current[1].append(match.group("text"))
        else:
            current, key = None, None
        offset += len(line)
    return [(spans, "".join(parts)) for spans, parts in entries]


def is_template(path: Path) -> bool:
    """An HTML template, or a plain-text one (e-mail bodies) in a templates folder."""
    return path.suffix == ".html" or (path.suffix == ".txt" and "templates" in path.parts)


def scan(path: Path, text: str) -> list[tuple[int, Finding]]:
    """Findings of one file: (offset in the file, finding)."""
    found = []
    if path.suffix == ".py":
        for start, end in _python_strings(text):
            for finding in find(text[start:end]):
                found.append((start + finding.offset, finding))
    elif is_template(path):
        found = [(f.offset, f) for f in find(text, template=True)]
    elif path.suffix == ".po":
        for spans, msgid in _po_msgids(text):
            if not msgid:
                continue
            for finding in find(msgid):
                # Map the offset in the joined msgid back to its quoted part in the file.
                rest = finding.offset
                for start, end in spans:
                    if rest < end - start:
                        found.append((start + rest, finding))
                        break
                    rest -= end - start
    return found


def rewrite(path: Path, text: str) -> str:
    """The file's text with its findings fixed."""
    if is_template(path):
        return fix(text, template=True)
    if path.suffix == ".py":
        pieces, last = [], 0
        for start, end in _python_strings(text):
            pieces += [text[last:start], fix(text[start:end])]
            last = end
        return "".join(pieces) + text[last:]
    if path.suffix == ".po":
        pieces, last = [], 0
        for spans, msgid in _po_msgids(text):
            fixed = fix(msgid)
            if fixed == msgid:
                continue
            parts = [fix(text[s:e]) for s, e in spans]
            if "".join(parts) != fixed:
                # The fix crosses two quoted lines: keep the first line, join the rest into it.
                parts = [fixed] + [""] * (len(spans) - 1)
            for (start, end), part in zip(spans, parts, strict=True):
                pieces += [text[last:start], part]
                last = end
        text = "".join(pieces) + text[last:]
        return re.sub(r'^""\n', "", text, flags=re.MULTILINE)
    return text


def load_allow(path: Path = ALLOW_FILE) -> list[tuple[str, str | None]]:
    rules = []
    if not path.exists():
        return rules
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        pattern, _, snippet = (part.strip() for part in line.partition(" | "))
        rules.append((pattern, snippet or None))
    return rules


def allowed(rel: str, source_line: str, rules) -> bool:
    return any(
        fnmatch.fnmatch(rel, pattern) and (snippet is None or snippet in source_line)
        for pattern, snippet in rules
    )


def files(paths: list[str]) -> list[Path]:
    if not paths:
        try:
            listed = subprocess.run(  # noqa: S603 (git from PATH, as make runs it)
                GIT_LS_FILES,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout.splitlines()
            return sorted(ROOT / p for p in listed if p.endswith(SUFFIXES) and (ROOT / p).exists())
        except (OSError, subprocess.CalledProcessError):
            paths = [str(ROOT)]
    found = []
    for name in paths:
        path = Path(name).resolve()
        if path.is_dir():
            found += [
                p
                for p in sorted(path.rglob("*"))
                if p.suffix in SUFFIXES
                and p.is_file()
                and not SKIP_DIRS.intersection(p.relative_to(path).parts)
            ]
        elif path.suffix in SUFFIXES:
            found.append(path)
    return found


def _relative(path: Path) -> str:
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def check(paths: list[Path], rules) -> list[Report]:
    reports = []
    for path in paths:
        rel = _relative(path)
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for offset, finding in scan(path, text):
            line, column = _position(text, offset)
            source_line = lines[line - 1] if line <= len(lines) else ""
            if not allowed(rel, source_line, rules):
                reports.append(Report(rel, line, column, finding.message, source_line))
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="files or folders (default: the repository)")
    parser.add_argument("--fix", action="store_true", help="rewrite the findings in place")
    parser.add_argument("--allow", type=Path, default=ALLOW_FILE, help="the allow-list file")
    args = parser.parse_args(argv)
    rules = load_allow(args.allow)
    paths = files(args.paths)
    if args.fix:
        changed = 0
        for path in paths:
            rel = _relative(path)
            if any(fnmatch.fnmatch(rel, p) and s is None for p, s in rules):
                continue
            text = path.read_text(encoding="utf-8")
            new = rewrite(path, text)
            if new != text:
                path.write_text(new, encoding="utf-8")
                changed += 1
        print(f"Rewrote {changed} files.")
    reports = check(paths, rules)
    for report in reports:
        print(report)
    if reports:
        print(
            f"{len(reports)} half-width marks in Chinese text (GB/T 15834). "
            "Fix them with: python tools/check_typography.py --fix "
            "(exceptions: tools/typography_allow.txt)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
