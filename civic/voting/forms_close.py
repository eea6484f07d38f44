"""Forms of closing and publicity: a carriage's signature, an objection (异议), the committee's answer."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from civic.community.labels import role_label
from civic.community.models import Role
from civic.voting.publicity import BODY_MAX, BODY_MIN
from civic.voting.signoff import NOTE_MAX


def _strip(value):  # noqa: ANN001
    return value.strip() if isinstance(value, str) else value


class SignForm(FlaskForm):
    """`carriage` is asked only of a member holding two carriage roles; the view fills its choices."""

    carriage = SelectField(_l("Sign for"), validate_choice=False, validators=[Optional()])
    note = StringField(_l("Note (optional)"), filters=[_strip], validators=[
        Optional(), Length(max=NOTE_MAX, message=_l("A note may have at most %(max)d characters."))])

    def set_carriages(self, carriages: tuple[Role, ...]) -> None:
        self.carriage.choices = [(r.value, role_label(r)) for r in carriages]

    def chosen(self) -> Role | None:
        try:
            return Role(self.carriage.data) if self.carriage.data else None
        except ValueError:
            return None


class ObjectionForm(FlaskForm):
    body = TextAreaField(_l("Your objection"), filters=[_strip],
                         description=_l("Say what you object to and why. The committee answers every objection."),
                         validators=[InputRequired(_l("Write your objection.")),
                                     Length(min=BODY_MIN, max=BODY_MAX,
                                            message=_l("Write %(min)d to %(max)d characters."))],
                         render_kw={"rows": 5})


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Answer this objection"), filters=[_strip],
                           validators=[InputRequired(_l("Write the answer.")),
                                       Length(min=BODY_MIN, max=BODY_MAX,
                                              message=_l("Write %(min)d to %(max)d characters."))],
                           render_kw={"rows": 4})
