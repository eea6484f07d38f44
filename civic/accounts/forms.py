"""One form per use case: sign in, register with an invite code, change password."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from civic.community.labels import KIND_LABELS
from civic.community.models import MemberKind

USERNAME_RE = r"^[A-Za-z0-9_.-]{3,32}$"
PHONE_RE = r"^\+?[0-9 -]{5,20}$"
_FORBIDDEN_NAME_CHARS = re.compile(r"[<>&\"'`\x00-\x1f\x7f]")


def plain_display_name(form, field) -> None:  # noqa: ANN001
    """A display name is plain text shown next to everything a person writes: no markup, no controls."""
    if field.data and _FORBIDDEN_NAME_CHARS.search(field.data):
        raise ValidationError(_l("A display name cannot contain < > & quotes or control characters."))


def _strip(value):  # noqa: ANN001
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    username = StringField(_l("Login name"), filters=[_strip], validators=[DataRequired(_l("Enter your login name."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    remember = BooleanField(_l("Keep me signed in for 30 days"), default=True)


class RegisterForm(FlaskForm):
    code = StringField(_l("Invite code"), filters=[_strip],
                       validators=[DataRequired(_l("Enter the invite code printed on your household's slip.")),
                                   Length(max=20, message=_l("That is not an invite code."))])
    display_name = StringField(
        _l("Display name"), filters=[_strip],
        description=_l("Shown to neighbours with your building, e.g. 王阿姨 · 7号楼. Not your room number."),
        validators=[DataRequired(_l("Enter a display name.")),
                    Length(max=20, message=_l("A display name can be at most %(max)d characters.")),
                    plain_display_name],
    )
    username = StringField(
        _l("Login name"), filters=[_strip],
        description=_l("3–32 letters, digits, _ . or -; a phone number works too."),
        validators=[DataRequired(_l("Choose a login name.")),
                    Regexp(USERNAME_RE, message=_l("Use 3–32 letters, digits, _ . or -."))],
    )
    kind = RadioField(
        _l("You are the household's"),
        choices=[(kind.value, label) for kind, label in KIND_LABELS.items()],
        default=MemberKind.OWNER.value,
        validators=[DataRequired()],
    )
    phone = StringField(_l("Phone (optional)"), filters=[_strip],
                        validators=[Optional(), Regexp(PHONE_RE, message=_l("Enter a phone number of digits only."))])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Choose a password.")),
        Length(min=8, max=128, message=_l("A password needs at least %(min)d characters."))])
    confirm = PasswordField(_l("Password again"), validators=[
        DataRequired(_l("Enter the password again.")), EqualTo("password", message=_l("The passwords do not match."))])


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(_l("Enter your current password."))])
    password = PasswordField(_l("New password"), validators=[
        DataRequired(_l("Choose a password.")),
        Length(min=8, max=128, message=_l("A password needs at least %(min)d characters."))])
    confirm = PasswordField(_l("New password again"), validators=[
        DataRequired(_l("Enter the password again.")), EqualTo("password", message=_l("The passwords do not match."))])
