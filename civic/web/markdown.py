"""User text: Markdown rendered and sanitised once, on write, by one function with one allowlist."""
from __future__ import annotations

import html

import bleach
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml as escape_html

# No img, style, class, id, data-* or hx-*: user text must never load anything or drive htmx.
ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
MAX_SOURCE_CHARS = 20_000

# linkify stays off: it swallows Chinese punctuation that follows a URL. Raw HTML is escaped, not parsed.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table").enable("strikethrough")


def _image_as_text(renderer, tokens, idx, options, env) -> str:  # noqa: ANN001
    """No images from user text (they would load from anywhere): keep the alt text; photos are uploads."""
    return escape_html(tokens[idx].content)


def _link_open(renderer, tokens, idx, options, env) -> str:  # noqa: ANN001
    tokens[idx].attrSet("rel", "nofollow noopener ugc")
    return renderer.renderToken(tokens, idx, options, env)


_md.add_render_rule("image", _image_as_text)
_md.add_render_rule("link_open", _link_open)


def _demote_headings(rendered: str) -> str:
    """A resident's "# title" must not compete with the page's own h1/h2."""
    for level, target in (("1", "3"), ("2", "4")):
        rendered = rendered.replace(f"<h{level}>", f"<h{target}>").replace(f"</h{level}>", f"</h{target}>")
    return rendered


def render(source: str) -> str:
    """Markdown → safe HTML. Store the result beside the source; never render user text at read time."""
    rendered = _demote_headings(_md.render(source or ""))
    return bleach.clean(rendered, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS,
                        strip=True, strip_comments=True)


def plain_text(source: str, limit: int = 140) -> str:
    """A short plain-text excerpt (for notifications and search results): no markup at all."""
    text = html.unescape(bleach.clean(_md.render(source or ""), tags=set(), strip=True))
    text = " ".join(text.split())  # the template escapes it again when shown
    return text if len(text) <= limit else text[: limit - 1] + "…"
