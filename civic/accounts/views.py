"""Routes for signing in and out, registering, the account page and preferences."""
from __future__ import annotations

from functools import cache

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from civic.accounts import bp
from civic.accounts.forms import LoginForm, PasswordForm, RegisterForm
from civic.accounts.models import find_by_username, revoke_session_key, revoke_sessions, start_session
from civic.accounts.services import register as register_user
from civic.clock import utcnow
from civic.community.models import MemberKind
from civic.community.queries import communities_of
from civic.errors import RuleViolation
from civic.extensions import db, limiter
from civic.web.access import public, signed_in
from civic.web.preferences import LOCALES, COOKIE_AGE, ELDER_COOKIE, LANG_COOKIE
from civic.web.security import is_safe_next



@cache
def _dummy_hash() -> str:
    """A real hash to check against when the login name is unknown, so timing does not reveal it."""
    return generate_password_hash("not-a-password")


def _rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _back(default: str = "/"):
    target = request.form.get("next") or request.args.get("next")
    return redirect(target if is_safe_next(target) else default, code=303)


@bp.get("/")
@public
def index():
    communities = communities_of(current_user) if current_user.is_authenticated else []
    return render_template("accounts/index.html", communities=communities)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
@public
def login():
    form = LoginForm()
    if form.validate_on_submit():
        user = find_by_username(form.username.data)
        if user is not None and user.check_password(form.password.data):
            start_session(user)
            db.session.commit()
            login_user(user, remember=form.remember.data)
            return _back(url_for("accounts.index"))
        if user is None:
            check_password_hash(_dummy_hash(), form.password.data)
        # One message for both cases: never reveal whether the login name exists.
        form.password.errors = [_("The login name or password is wrong.")]
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@public
def logout():
    if current_user.is_authenticated:
        _revoke_current()
        logout_user()
    return redirect(url_for("accounts.index"), code=303)


def _revoke_current() -> None:
    revoke_session_key(current_user.session_key, utcnow())
    db.session.commit()


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_rate_limit, methods=["POST"])
@public
def register():
    form = RegisterForm(code=request.args.get("code", ""))
    if form.validate_on_submit():
        try:
            user = register_user(
                code=form.code.data, username=form.username.data, display_name=form.display_name.data,
                password=form.password.data, phone=form.phone.data, kind=MemberKind(form.kind.data),
                max_members=current_app.config["INVITE_MAX_MEMBERS"], now=utcnow(),
            )
        except RuleViolation as error:
            db.session.rollback()
            getattr(form, error.field or "code").errors = [error.message]
        else:
            start_session(user)
            db.session.commit()
            login_user(user, remember=True)
            flash(_("Welcome, %(name)s! Your account is linked to your household.", name=user.display_name))
            return redirect(url_for("accounts.index"), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("accounts/register.html", form=form), status


@bp.get("/account")
@signed_in
def account():
    return render_template("accounts/account.html", form=PasswordForm())


@bp.post("/account/password")
@signed_in
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        if current_user.check_password(form.current.data):
            current_user.set_password(form.password.data)
            ended = revoke_sessions(current_user, utcnow(), keep=current_user.session_key)
            db.session.commit()
            flash(_("Password changed. %(n)d other sign-ins were ended.", n=ended))
            return redirect(url_for("accounts.account"), code=303)
        form.current.errors = [_("The current password is wrong.")]
    return render_template("accounts/account.html", form=form), 422


@bp.post("/preferences/language")
@public
def set_language():
    locale = request.form.get("locale")
    if locale not in LOCALES:
        locale = "zh_Hans_CN"
    if current_user.is_authenticated:
        current_user.locale = locale
        db.session.commit()
    response = _back()
    response.set_cookie(LANG_COOKIE, locale, max_age=COOKIE_AGE, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.post("/preferences/elder-mode")
@public
def set_elder_mode():
    is_on = request.form.get("on") == "1"
    if current_user.is_authenticated:
        current_user.is_elder_mode = is_on
        db.session.commit()
    response = _back()
    response.set_cookie(ELDER_COOKIE, "1" if is_on else "0", max_age=COOKIE_AGE, httponly=True, samesite="Lax",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
