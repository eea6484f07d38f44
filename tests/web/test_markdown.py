"""The one sanitiser: hostile Markdown renders inert, ordinary Chinese Markdown survives."""
import re

import pytest

from civic.web.markdown import plain_text, render

HOSTILE = [
    "<script>alert(1)</script>",
    "[点我](javascript:alert(1))",
    "[点我](JaVaScRiPt:alert(1))",
    "[点我](  javascript:alert(1))",
    "[点我](data:text/html;base64,PHNjcmlwdD4=)",
    "[点我](vbscript:msgbox(1))",
    "<svg onload=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "![x](https://evil.example/track.png)",
    '<a href="/x" hx-post="/c/anqiu/roles" hx-trigger="load">a</a>',
    '<div data-hx-post="/x" data-hx-trigger="load">a</div>',
    '<p style="position:fixed" class="flash" id="main">x</p>',
    "<iframe src=https://evil.example></iframe>",
    "<!-- <script>alert(1)</script> -->",
    "[a](https://example.com\" onmouseover=\"alert(1))",
    "<form action=/logout method=post><button>x</button></form>",
]


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_renders_inert(source):
    html = render(source)
    tags = re.findall(r"<\s*([a-zA-Z0-9]+)([^>]*)>", html)
    for name, attrs in tags:
        assert name.lower() in {"p", "a", "code", "pre", "strong", "em", "br"}, html
        assert not re.search(r"\b(on\w+|style|class|id|src|hx-[\w-]+|data-[\w-]+)\s*=", attrs, re.I), html
        if name.lower() == "a":
            href = re.search(r'href="([^"]*)"', attrs).group(1)
            assert href.startswith(("http://", "https://", "mailto:", "tel:", "/")), html


def test_ordinary_markdown_keeps_its_meaning():
    html = render("# 垃圾厢房选址\n\n**支持**放在*7号楼*旁边：\n\n- 离得近\n- 不挡光\n\n> 夏天味道大\n\n[方案图](https://example.com/a)")
    assert "<h3>垃圾厢房选址</h3>" in html  # the page keeps h1/h2 for itself
    assert "<strong>支持</strong>" in html and "<em>7号楼</em>" in html
    assert "<li>离得近</li>" in html and "<blockquote>" in html
    assert '<a href="https://example.com/a" rel="nofollow noopener ugc">方案图</a>' in html


def test_bare_urls_are_not_linkified_so_chinese_punctuation_stays_put():
    html = render("见 https://example.com/a，后面是中文。")
    assert "<a" not in html and "https://example.com/a，后面是中文。" in html


def test_image_keeps_only_its_alt_text():
    assert render("![楼道照片](https://x.example/a.png)") == "<p>楼道照片</p>\n"


def test_plain_text_excerpt_has_no_markup_and_is_cut():
    text = plain_text("**粗体** <b>x</b> 文字 " + "长" * 300, limit=20)
    assert text.startswith("粗体 <b>x</b> 文字") and len(text) == 20 and text.endswith("…")
