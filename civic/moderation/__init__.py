"""Moderation: residents report, the committee hides, unhides and locks."""
from flask import Blueprint, Flask

bp = Blueprint("moderation", __name__, url_prefix="/c")


def init_app(app: Flask) -> None:
    from civic.moderation import display

    display.init_app(app)


from civic.moderation import views, views_actions  # noqa: E402,F401
