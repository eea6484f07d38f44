"""Forms of the attend part: RSVP, the sign-in code, signing in by hand, the paper sheet's photo."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from civic.meetings.signin import NAME_MAX

CODE_MAX = 20  # six letters, typed loosely with spaces or dashes


def _strip(value):  # noqa: ANN001
    return value.strip() if isinstance(value, str) else value


class RsvpForm(FlaskForm):
    going = RadioField(_l("Are you going?"), choices=[("yes", _l("I'm going")), ("no", _l("Not going"))],
                       validators=[InputRequired(_l("Choose going or not going."))])


class CheckInForm(FlaskForm):
    code = StringField(_l("Sign-in code"), filters=[_strip],
                       description=_l("The six letters and digits shown at the venue."),
                       validators=[InputRequired(_l("Type the code shown at the venue.")),
                                   Length(max=CODE_MAX, message=_l("The code has only six letters and digits."))],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})


class HandSignInForm(FlaskForm):
    """Pick someone who signed up, or type the name of a neighbour without an account (the service checks both)."""

    user_id = SelectField(_l("Someone who signed up"), coerce=int, validate_choice=False, default=0)
    name = StringField(_l("Or type a name"), filters=[_strip],
                       description=_l("For a neighbour without an account, e.g. 张阿姨 (at most %(n)d characters).",
                                      n=NAME_MAX),
                       validators=[Optional(), Length(max=NAME_MAX, message=_l(
                           "A name may have at most %(max)d characters."))])

    def offer(self, people: list[tuple[int, str]]) -> HandSignInForm:
        self.user_id.choices = [(0, _l("— choose a person —")), *people]
        return self


class UndoSignInForm(FlaskForm):
    back = HiddenField()  # "list": go back to the attendance list after a plain post


class SheetForm(FlaskForm):
    photo = FileField(_l("Photo of the paper sign-in sheet"), description=_l("JPEG, PNG or WebP."),
                      validators=[FileRequired(_l("Choose a photo of the sheet."))], render_kw={"accept": "image/*"})
