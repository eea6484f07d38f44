"""Forms of the version page: a pin (where on the picture, what about it), a comment on a version, "addressed in vN"."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from civic.threads.rules import BODY_MAX

OFF_PICTURE = _l("Put the pin on the picture: both numbers must be between 0 and 100.")


def _strip(value):  # noqa: ANN001
    return value.strip() if isinstance(value, str) else value


def _body() -> TextAreaField:
    return TextAreaField(_l("Your comment"), filters=[_strip], validators=[
        DataRequired(message=_l("Write something before sending.")),
        Length(max=BODY_MAX, message=_l("A comment can be at most %(max)d characters.", max=BODY_MAX)),
    ])


class PercentField(Field):
    """A percentage 0–100 of the picture's width or height; "", text, NaN, ∞ and values off the picture refused.

    Not WTForms' DecimalField: it accepts "NaN", and comparing a NaN Decimal raises instead of failing.
    """

    def _value(self) -> str:
        return self.raw_data[0] if self.raw_data else ("" if self.data is None else str(self.data))

    def process_formdata(self, valuelist) -> None:  # noqa: ANN001
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace(",", ".").rstrip("%")
        try:
            number = Decimal(text)
        except (InvalidOperation, ValueError):
            return
        self.data = number if number.is_finite() else None

    def pre_validate(self, form) -> None:  # noqa: ANN001
        if self.data is None or not Decimal(0) <= self.data <= Decimal(100):
            raise ValidationError(str(OFF_PICTURE))


class PinForm(FlaskForm):
    x = PercentField()  # labelled in the template ("From the left %%": a Jinja msgid)
    y = PercentField()
    file = IntegerField(validators=[Optional()])  # the position of the picture the pin is on (default: the cover)
    body = _body()


class VersionCommentForm(FlaskForm):
    body = _body()


class AddressedForm(FlaskForm):
    comment_id = SelectMultipleField(coerce=int, validate_choice=False,
                                     validators=[DataRequired(message=_l("Choose a comment."))])
    version = IntegerField(validators=[Optional()])  # the version that addresses it (default: the current one)
    back = IntegerField(validators=[Optional()])  # the version page the form was sent from
