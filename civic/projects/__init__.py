"""Micro-renewal projects: list, hub page with stage strip and timeline, stage moves."""
from flask import Blueprint, Flask

bp = Blueprint("projects", __name__, url_prefix="/c")

from civic.projects import views  # noqa: E402,F401


def init_app(app: Flask) -> None:
    """Category and stage labels are used on many pages (proposals too): make them template globals."""
    from civic.projects.labels import category_label, stage_label

    app.jinja_env.globals.update(category_label=category_label, stage_label=stage_label)
