"""Civic: micro-renewal projects for residential neighbourhoods."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

from flask import Flask

from civic import config as settings
from civic.extensions import babel, csrf, db, htmx, limiter, login, migrate

ROOT = Path(__file__).resolve().parent.parent

BLUEPRINTS = (
    "civic.accounts",
    "civic.community",
    "civic.audit",
    "civic.threads",
    "civic.projects",
    "civic.proposals",
    "civic.meetings",
    "civic.designs",
    "civic.voting",
    "civic.moderation",
    "civic.notices",
    "civic.search",
)


def create_app(config: Mapping | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("CIVIC_INSTANCE_PATH", str(ROOT / "instance")),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(settings.load(app.instance_path))
    app.config.update(config or {})
    settings.finish(app.config, app.instance_path)
    if app.config.get("PROXY_FIX_HOPS"):
        # Behind nginx: trust X-Forwarded-For/Proto from that many proxies (rate limits key on the client IP).
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["PROXY_FIX_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    _init_extensions(app)
    _register_blueprints(app)
    _init_web(app)
    return app


def _init_extensions(app: Flask) -> None:
    from civic.web.access import unauthorized
    from civic.web.preferences import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    htmx.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    login.init_app(app)
    login.session_protection = "basic"
    login.unauthorized_handler(unauthorized)
    from civic.accounts.models import load_session_user

    login.user_loader(load_session_user)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            from civic.db_sqlite import configure_sqlite

            configure_sqlite(db.engine)


def _register_blueprints(app: Flask) -> None:
    import importlib

    for name in BLUEPRINTS:
        module = importlib.import_module(name)
        app.register_blueprint(module.bp)
        if hasattr(module, "init_app"):
            module.init_app(app)


def _init_web(app: Flask) -> None:
    from civic.web import templating
    from civic.web.security import register_error_handlers, set_security_headers

    app.after_request(set_security_headers)
    register_error_handlers(app)
    templating.init_app(app)
    from civic.demo import seed_demo_command

    app.cli.add_command(seed_demo_command)
