"""Forms of the minutes part: the minutes editor, amendments, action items, round-table notes.

They only read what was typed; the limits and rules live in minutes.py / actions.py / notes.py (RuleViolation
names the field, and the view puts the message on it), so each rule is written once.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Optional

from civic.meetings.labels import ACTION_STATUS_LABELS
from civic.meetings.models import ActionStatus
from civic.projects.labels import CATEGORY_LABELS


def _strip(value):  # noqa: ANN001
    return value.strip() if isinstance(value, str) else value


class MinutesForm(FlaskForm):
    body = TextAreaField(_l("Minutes"), render_kw={"rows": 16},
                         description=_l("Markdown works: headings with “###”, lists with “-”, **bold**."))
    decisions = TextAreaField(_l("Decisions"), render_kw={"rows": 6},
                              description=_l("One decision per line (at most 30, each up to 200 characters)."))
    note = StringField(_l("What changed"), filters=[_strip],
                       description=_l("Shown in the history beside the new version."))
    save_draft = SubmitField(_l("Save draft"))
    publish = SubmitField(_l("Publish"))

    @property
    def is_publishing(self) -> bool:
        return bool(self.publish.data)

    def decision_lines(self) -> list[str]:
        return (self.decisions.data or "").splitlines()


class AmendmentForm(FlaskForm):
    body = TextAreaField(_l("The minutes as they should read"), render_kw={"rows": 16},
                         description=_l("Change the text where it is wrong; leave the rest as it is."))
    reason = StringField(_l("Why (what was wrong)"), filters=[_strip])


class DeclineForm(FlaskForm):
    reason = StringField(_l("Reason for declining"), filters=[_strip])


class ActionItemForm(FlaskForm):
    what = StringField(_l("What is to be done"), filters=[_strip])
    # Choices are grouped (carriages, people); an unknown value is refused by actions.add with a clear message.
    owner = SelectField(_l("Who does it"), validate_choice=False)
    due_on = DateField(_l("Due date (optional)"), validators=[Optional()])

    def __init__(self, *args, owner_choices=None, **kwargs):  # noqa: ANN001
        super().__init__(*args, **kwargs)
        self.owner.choices = owner_choices or {}


class ActionStatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=[(s.value, label) for s, label in ACTION_STATUS_LABELS.items()])
    reason = StringField(_l("What blocks it"), filters=[_strip])

    @property
    def chosen(self) -> ActionStatus:
        return ActionStatus(self.status.data)


class NoteForm(FlaskForm):
    text = TextAreaField(_l("Note"), render_kw={"rows": 4, "maxlength": 1000},
                         description=_l("A few lines: what was said, what people want."))
    photo = FileField(_l("Photo of the whiteboard (optional)"), render_kw={"accept": "image/*"})


class PromoteForm(FlaskForm):
    category = SelectField(_l("Category"), choices=[(c.value, label) for c, label in CATEGORY_LABELS.items()])
