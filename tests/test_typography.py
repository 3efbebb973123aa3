"""tools/check_typography.py: half-width punctuation in Chinese text fails `make lint`."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import check_typography as typography


@pytest.mark.parametrize(
    "text",
    [
        "您的角色:",
        "角色:",
        "应到 80 人,实到 54 人;",
        "文件过大(%(size)s MB)",
        "姓名 (必填)",
        "好!",
        "吗?",
    ],
)
def test_it_catches_half_width_marks_in_chinese_text(text):
    assert typography.find(text)


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-05",
        "10:30",
        "%(name)s:",
        "{name}:",
        "1,000 元",
        "Note: 中文",
        "https://example.org/a?x=1,2",
        "The membership certificate (会员证): a PDF",
        "角色：管理员",
        "应到 80 人，实到 54 人；",
    ],
)
def test_it_passes_numbers_codes_english_and_placeholders(text):
    assert typography.find(text) == []


def test_it_fixes_to_full_width_without_spaces_beside():
    assert typography.fix("应到 80 人,实到 54 人;") == "应到 80 人，实到 54 人；"
    assert typography.fix("角色: 管理员") == "角色：管理员"
    assert typography.fix("文件过大(%(size).1f MB),上限") == "文件过大（%(size).1f MB），上限"


def test_it_reads_only_strings_of_python_and_the_text_of_templates(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('# 注释:不算\nlabel = _("角色:")\nratio = {"a": 1}\n', encoding="utf-8")
    template = tmp_path / "t.html"
    template.write_text(
        '{% translate "角色:" %} {{ when|date:"Y-m-d H:i" }}\n<p>时间:10:30</p>\n', encoding="utf-8"
    )
    reports = typography.check([module, template], rules=[])
    assert [(Path(r.path).name, r.line) for r in reports] == [
        ("m.py", 2),
        ("t.html", 1),
        ("t.html", 2),
    ]


def test_it_checks_the_chinese_msgid_of_a_catalogue_not_the_english_msgstr(tmp_path):
    catalogue = tmp_path / "django.po"
    catalogue.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        'msgid "您的角色:"\nmsgstr "Your role: "\n\n'
        'msgid ""\n"应到 %(n)s 人,"\n"实到 %(m)s 人。"\n'
        'msgstr "Expected: %(n)s, present: %(m)s."\n',
        encoding="utf-8",
    )
    assert len(typography.check([catalogue], rules=[])) == 2
    fixed = typography.rewrite(catalogue, catalogue.read_text(encoding="utf-8"))
    assert 'msgid "您的角色："\nmsgstr "Your role: "' in fixed
    assert (
        '"应到 %(n)s 人，"\n"实到 %(m)s 人。"\nmsgstr "Expected: %(n)s, present: %(m)s."' in fixed
    )


def test_it_fixes_python_strings_and_their_msgid_alike(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('x = _("角色: %(r)s")  # 注释:不改\n', encoding="utf-8")
    assert typography.rewrite(module, module.read_text()) == 'x = _("角色：%(r)s")  # 注释:不改\n'
    assert typography.fix("角色: %(r)s") == "角色：%(r)s"


def test_the_allow_list_exempts_a_line(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('CSV = "代码,名称"\n', encoding="utf-8")
    rules = [("*m.py", "代码,名称")]
    assert typography.check([module], rules=rules) == []


def test_it_exits_non_zero_on_a_finding(tmp_path, capsys):
    module = tmp_path / "m.py"
    module.write_text('x = "角色:"\n', encoding="utf-8")
    assert typography.main([str(module)]) == 1
    assert "m.py:1:" in capsys.readouterr().out
    assert typography.main(["--fix", str(module)]) == 0
    assert module.read_text(encoding="utf-8") == 'x = "角色："\n'
