"""The report form: a common reason to pick, and words of one's own."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

DETAILS_MAX = 150  # with the longest reason label this stays within the 200 characters of Report.reason

REASONS = [
    ("hostile", _l("Insulting, threatening or hostile")),
    ("private", _l("Shows someone's private information (room, phone, full name)")),
    ("spam", _l("Advertising or spam")),
    ("misleading", _l("False or misleading")),
    ("other", _l("Something else")),
]


class ReportForm(FlaskForm):
    reason = RadioField(_l("What is wrong with it?"), choices=[SelectChoice(v, label) for v, label in REASONS],
                        validators=[InputRequired(_l("Please choose a reason."))])
    details = TextAreaField(_l("In your own words (optional)"), validators=[Length(max=DETAILS_MAX)],
                            filters=[lambda v: " ".join(v.split()) if isinstance(v, str) else v],
                            description=_l("Only the committee sees reports."))

    def validate_details(self, field) -> None:  # noqa: ANN001
        if self.reason.data == "other" and not field.data:
            raise ValidationError(_l("Please say in a few words what is wrong."))

    def reason_text(self) -> str:
        label = str(dict(REASONS)[self.reason.data])
        return f"{label}: {self.details.data}" if self.details.data else label
