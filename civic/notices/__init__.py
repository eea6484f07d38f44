"""Notifications: the list, the unread badge, opt-outs."""
from flask import Blueprint, Flask

bp = Blueprint("notices", __name__, url_prefix="/c")


def init_app(app: Flask) -> None:
    from civic.notices.badge import badge_text, unread_notices

    # A callable, not a value: only pages that show the community navigation pay for the count.
    app.jinja_env.globals.update(unread_notices=unread_notices, notice_badge_text=badge_text)


from civic.notices import views  # noqa: E402,F401
