"""Forms for projects: writing one (new or edit) and moving it to another stage."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from civic.projects.labels import CATEGORY_LABELS, stage_label
from civic.projects.models import Project, Stage
from civic.projects.rules import allowed_moves
from civic.projects.services import REASON_MAX, REASON_MIN
from civic.web.markdown import MAX_SOURCE_CHARS

TITLE_MAX = Project.title.type.length


def _strip(value):  # noqa: ANN001, ANN202
    return value.strip() if isinstance(value, str) else value


class ProjectForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_strip], validators=[
        DataRequired(_l("Give the project a title.")),
        Length(max=TITLE_MAX, message=_l("The title can be at most %(max)d characters."))])
    description = TextAreaField(_l("Description"), description=_l("Markdown: **bold**, lists with -, links."),
                                render_kw={"rows": 8},
                                validators=[Length(max=MAX_SOURCE_CHARS,
                                                   message=_l("The description is too long."))])
    category = RadioField(_l("Category"), choices=[(c.value, label) for c, label in CATEGORY_LABELS.items()],
                          validators=[InputRequired(_l("Choose a category."))])
    # Choices are the community's buildings, set by the view: ids of another community's buildings are refused.
    buildings = SelectMultipleField(_l("Affected buildings"), coerce=int,
                                    description=_l("Leave all unticked if the whole community is concerned."))

    def set_buildings(self, buildings) -> None:  # noqa: ANN001
        self.buildings.choices = [(b.id, b.name) for b in buildings]

    def fill_from(self, project: Project) -> None:
        self.title.data, self.description.data = project.title, project.description_md
        self.category.data, self.buildings.data = project.category.value, [b.id for b in project.buildings]


class StageForm(FlaskForm):
    to = RadioField(_l("Move to"), validate_choice=False, validators=[InputRequired(_l("Choose the new stage."))])
    reason = TextAreaField(_l("Reason"), filters=[_strip], render_kw={"rows": 3, "maxlength": REASON_MAX}, validators=[
        DataRequired(_l("Give a short reason.")),
        Length(min=REASON_MIN, max=REASON_MAX,
               message=_l("The reason must be %(min)d to %(max)d characters."))])

    def offer_moves_from(self, stage: Stage) -> None:
        self.to.choices = [(s.value, stage_label(s)) for s in allowed_moves(stage)]

    def validate_to(self, field) -> None:  # noqa: ANN001
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("That move is not possible from the current stage."))
