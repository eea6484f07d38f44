"""Forms for proposals: raise/edit, the official answer, and the seconding threshold."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from civic.projects.labels import CATEGORY_LABELS
from civic.proposals.models import MAX_PHOTOS, TITLE_MAX

BODY_MAX = 10_000
ANSWER_MAX = 10_000
# Paper-era communities count seconds by the hundred; 100,000 is far beyond any real neighbourhood.
THRESHOLD_HOUSEHOLDS_MAX = 100_000


def _strip(value):  # noqa: ANN001
    return value.strip() if isinstance(value, str) else value


def _checkboxes(label) -> SelectMultipleField:  # noqa: ANN001
    return SelectMultipleField(label, coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())


class ProposalForm(FlaskForm):
    """Raise or edit. The body may stay empty in a draft; publishing needs it (see validate_body)."""

    title = StringField(_l("Title"), filters=[_strip], description=_l("At most %(n)d characters.", n=TITLE_MAX),
                        validators=[DataRequired(_l("Give your proposal a title.")),
                                    Length(max=TITLE_MAX, message=_l("The title may have at most %(max)d characters."))])
    body = TextAreaField(_l("What is the problem, and what do you propose?"),
                         description=_l("Markdown works: **bold**, lists with “-”, links."),
                         validators=[Length(max=BODY_MAX, message=_l("The text may have at most %(max)d characters."))],
                         render_kw={"rows": 10})
    category = SelectField(_l("Category"), validators=[DataRequired(_l("Choose a category."))])
    buildings = _checkboxes(_l("Buildings it concerns"))
    photos = MultipleFileField(_l("Add photos"), description=_l("Up to %(n)d photos in all (JPEG, PNG or WebP).",
                                                                 n=MAX_PHOTOS),
                               render_kw={"accept": "image/*"})
    remove_photos = _checkboxes(_l("Remove photos"))
    save_draft = SubmitField(_l("Save draft"))
    publish = SubmitField(_l("Publish"))
    save = SubmitField(_l("Save changes"))

    def __init__(self, *args, buildings=(), photos=(), body_required: bool = False, **kwargs):  # noqa: ANN001
        super().__init__(*args, **kwargs)
        # No preselected category: a hurried author would otherwise file everything under the first one.
        categories = [(c.value, label) for c, label in CATEGORY_LABELS.items()]
        self.category.choices = [("", _l("— choose a category —")), *categories]
        self.buildings.choices = [(b.id, b.name) for b in buildings]
        self.remove_photos.choices = [(p.id, p.original_filename or str(p.position + 1)) for p in photos]
        self.body_required = body_required

    @property
    def is_publishing(self) -> bool:
        return bool(self.publish.data)

    def validate_body(self, field) -> None:  # noqa: ANN001
        if (self.body_required or self.is_publishing) and not (field.data or "").strip():
            raise ValidationError(_l("Describe the problem before publishing; a draft may stay empty."))


ANSWER_CHOICES = [
    ("accept_new", _l("Accept into a new project")),
    ("accept_existing", _l("Accept into an existing project")),
    ("merge", _l("Merge into another proposal (a duplicate)")),
    ("decline", _l("Decline")),
]


class AnswerForm(FlaskForm):
    kind = RadioField(_l("Official answer"), choices=ANSWER_CHOICES,
                      validators=[InputRequired(_l("Choose what the committee decided."))])
    project = SelectField(_l("Existing project"), coerce=int, validators=[Optional()],
                          description=_l("Only when accepting into an existing project."))
    merge_into = SelectField(_l("The proposal it duplicates"), coerce=int, validators=[Optional()],
                             description=_l("Only when merging a duplicate."))
    answer = TextAreaField(_l("Written answer (shown at the top of the proposal)"),
                           validators=[DataRequired(_l("Write the answer the residents will read.")),
                                       Length(max=ANSWER_MAX, message=_l("The answer may have at most %(max)d characters."))],
                           render_kw={"rows": 6})

    def __init__(self, *args, projects=(), proposals=(), **kwargs):  # noqa: ANN001
        super().__init__(*args, **kwargs)
        self.project.choices = [(0, _l("— choose a project —"))] + [(p.id, p.title) for p in projects]
        self.merge_into.choices = [(0, _l("— choose a proposal —"))] + [(p.id, f"#{p.id} {p.title}") for p in proposals]


class ThresholdForm(FlaskForm):
    mode = RadioField(_l("Count the threshold as"), choices=[
        ("households", _l("A number of households")),
        ("percent", _l("A share of the households in the affected buildings")),
    ], validators=[InputRequired(_l("Choose how the threshold is counted."))])
    households = IntegerField(_l("Households"), validators=[Optional(), NumberRange(
        min=1, max=THRESHOLD_HOUSEHOLDS_MAX, message=_l("Enter a number of households from %(min)d to %(max)d."))])
    percent = IntegerField(_l("Per cent"), validators=[Optional(), NumberRange(
        min=1, max=100, message=_l("Enter a percentage from %(min)d to %(max)d."))])

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        """The chosen mode's number is required (Optional() would stop a field's own validators on empty)."""
        is_valid = super().validate(extra_validators)
        wanted = {"households": self.households, "percent": self.percent}.get(self.mode.data)
        if wanted is not None and wanted.data is None and not wanted.errors:
            wanted.errors = [*wanted.errors, _l("Enter the number of households.") if wanted is self.households
                             else _l("Enter the percentage.")]
            return False
        return is_valid
