"""Language and elder mode (关怀版): from the user's setting, then a cookie, then the browser."""
from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user


LOCALES = ("zh_Hans_CN", "en")
LANG_COOKIE = "civic_lang"
ELDER_COOKIE = "civic_elder"
COOKIE_AGE = 365 * 24 * 3600


def select_locale() -> str:
    if not has_request_context():
        return LOCALES[0]  # CLI commands and background jobs speak Chinese
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in LOCALES:
        return user_locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LOCALES:
        return cookie
    # WeChat sends zh-CN; Babel wants zh_Hans_CN. Match the language part only.
    best = request.accept_languages.best_match(["zh", "zh-CN", "zh-Hans", "en"], default="zh")
    return "en" if best == "en" else "zh_Hans_CN"


def is_elder_mode() -> bool:
    if current_user and current_user.is_authenticated:
        return bool(current_user.is_elder_mode)
    return request.cookies.get(ELDER_COOKIE) == "1"


def html_lang(locale: str) -> str:
    return "en" if locale == "en" else "zh-CN"
