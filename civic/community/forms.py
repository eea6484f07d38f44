"""Forms for the community's administration pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from civic.community.labels import ROLE_LABELS



class RosterForm(FlaskForm):
    file = FileField(_l("Roster file (CSV)"), validators=[FileRequired(_l("Choose a CSV file to import."))])


class GrantRoleForm(FlaskForm):
    username = StringField(_l("Login name of the person"),
                           filters=[lambda v: v.strip() if isinstance(v, str) else v],
                           validators=[DataRequired(_l("Enter the person's login name."))])
    role = SelectField(_l("Role"), choices=[(role.value, label) for role, label in ROLE_LABELS.items()],
                       validators=[DataRequired()])
    buildings = SelectMultipleField(_l("Buildings they lead (building-group leaders only)"), coerce=int,
                                    widget=ListWidget(prefix_label=False), option_widget=CheckboxInput())
