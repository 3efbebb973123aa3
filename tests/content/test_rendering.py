"""Markdown written by staff is sanitised before it reaches a page."""

from content.rendering import plain_text, render_markdown


def test_it_strips_script_tags():
    html = render_markdown("正文\n\n<script>alert(1)</script>")
    assert "<script" not in html
    assert "正文" in html


def test_it_strips_event_handlers():
    html = render_markdown(
        '<img src="x.png" onerror="alert(1)"> <a href="/a" onclick="x()">链接</a>'
    )
    assert "onerror" not in html
    assert "onclick" not in html
    assert "链接" in html


def test_it_strips_javascript_urls():
    html = render_markdown("[点我](javascript:alert(1)) <a href='JaVaScRiPt:alert(2)'>二</a>")
    assert "javascript" not in html.lower()


def test_it_keeps_markdown_structure():
    html = render_markdown("## 标题\n\n- 一\n- 二\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |")
    assert "<h2>标题</h2>" in html
    assert "<li>一</li>" in html
    assert "<table>" in html


def test_it_makes_links_safe_to_follow():
    html = render_markdown("[民政部](https://www.mca.gov.cn/)")
    assert 'rel="noopener noreferrer nofollow"' in html


def test_it_gives_plain_text_for_summaries():
    assert plain_text("**加粗**的<script>x</script>文字") == "加粗的文字"
