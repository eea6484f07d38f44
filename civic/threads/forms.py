"""The comment and edit forms (parsed and validated here; the templates write the HTML so ids stay unique)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, RadioField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from civic.threads.models import Opinion
from civic.threads.rules import BODY_MAX


# 支持 / 反对 / 疑问: shown as "Opinion: …" beside a comment, never counted like a vote.
OPINION_LABELS = {Opinion.FOR: _l("Support"), Opinion.AGAINST: _l("Oppose"), Opinion.QUESTION: _l("Question")}
OPINION_CHOICES = [("", _l("No label")), *((o.value, label) for o, label in OPINION_LABELS.items())]


def _strip(value):  # noqa: ANN001
    return value.strip() if isinstance(value, str) else value


def _body_field() -> TextAreaField:
    return TextAreaField(_l("Your comment"), filters=[_strip], validators=[
        DataRequired(message=_l("Write something before sending.")),
        Length(max=BODY_MAX, message=_l("A comment can be at most %(max)d characters.", max=BODY_MAX)),
    ])


class CommentForm(FlaskForm):
    body = _body_field()
    opinion = RadioField(_l("Your opinion (optional)"), choices=[o.value for o in Opinion],
                         validators=[Optional()], validate_choice=True)
    parent_id = IntegerField(validators=[Optional()])
    quote_id = IntegerField(validators=[Optional()])
    # Set by the inline reply form: the answer replaces that small form, not the main one.
    inline = BooleanField()

    @property
    def opinion_value(self) -> Opinion | None:
        return Opinion(self.opinion.data) if self.opinion.data else None


class EditForm(FlaskForm):
    body = _body_field()
