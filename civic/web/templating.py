"""What every template sees: locale, elder mode, and date formatting in Asia/Shanghai."""
from __future__ import annotations

from flask import Flask, request
from flask_babel import format_datetime, get_locale

from civic.web.preferences import html_lang, is_elder_mode
from civic.web.security import is_safe_next


def _context():
    locale = str(get_locale() or "zh_Hans_CN")
    here = request.full_path.rstrip("?") if request else "/"
    return {
        "locale": locale,
        "html_lang": html_lang(locale),
        "is_elder_mode": is_elder_mode(),
        "here": here if is_safe_next(here) else "/",
    }


def datetime_24h(value) -> str:  # noqa: ANN001
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


def init_app(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(_context)
    from civic.community import rules
    from civic.community.labels import kind_label, role_label

    app.jinja_env.globals.update(rules=rules, role_label=role_label, kind_label=kind_label)
    app.jinja_env.filters["dt"] = datetime_24h
