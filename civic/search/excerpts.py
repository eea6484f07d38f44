"""A plain-text excerpt around the first match, with the matched words marked.

The markup is built here from escaped plain text and our own <mark> tags, never from stored HTML.
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape

CONTEXT_CHARS = 40
EXCERPT_CHARS = 120


def _pattern(terms: list[str]) -> re.Pattern | None:
    if not terms:
        return None
    # Longest first, so 加装电梯 is marked whole rather than as 加装 then 电梯.
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)


def _window(text: str, pattern: re.Pattern | None) -> str:
    first = pattern.search(text) if pattern else None
    start = max(first.start() - CONTEXT_CHARS, 0) if first else 0
    end = min(start + EXCERPT_CHARS, len(text))
    return ("…" if start > 0 else "") + text[start:end] + ("…" if end < len(text) else "")


def mark(text: str, terms: list[str]) -> Markup:
    """The whole text, escaped, with every occurrence of a term wrapped in <mark>."""
    pattern = _pattern(terms)
    if pattern is None:
        return escape(text)
    out, pos = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[pos:match.start()]))
        out.append(Markup("<mark>%s</mark>") % match.group())
        pos = match.end()
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def excerpt(text: str, terms: list[str]) -> Markup:
    """About 120 characters around the first match (or from the start), matches marked."""
    return mark(_window(text, _pattern(terms)), terms)
