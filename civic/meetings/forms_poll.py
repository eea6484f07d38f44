"""Forms of the time poll: a candidate slot and the deadline (in Asia/Shanghai wall-clock time), and one answer."""
from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, SubmitField, TimeField
from wtforms.validators import AnyOf, InputRequired, Optional

from civic.errors import RuleViolation
from civic.meetings.localtime import combine
from civic.meetings.models import PollAnswerKind

# Browsers without a date or time picker send what was typed: forgive slashes and seconds.
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
TIME_FORMATS = ["%H:%M", "%H:%M:%S"]


def _day(label: str, missing: str) -> DateField:
    return DateField(label, format=DATE_FORMATS, validators=[InputRequired(missing)],
                     invalid_value_message=_l("Give the day as year-month-day, for example 2026-12-01."))


def _time(label: str, missing: str) -> TimeField:
    return TimeField(label, format=TIME_FORMATS, validators=[InputRequired(missing)],
                     invalid_value_message=_l("Give the time as hours:minutes, for example 14:00."))


class _RefusableForm(FlaskForm):
    """A service's RuleViolation is shown beside the field it names (FIELDS), or above the form."""

    FIELDS: dict[str, str] = {}

    def refuse(self, error: RuleViolation) -> None:
        name = self.FIELDS.get(error.field or "")
        if name:
            getattr(self, name).errors = [error.message]
        else:
            self.form_errors.append(error.message)


class SlotForm(_RefusableForm):
    FIELDS = {"starts_at": "slot_starts", "ends_at": "slot_ends"}

    slot_day = _day(_l("Day"), _l("Choose the day."))
    slot_starts = _time(_l("Starts at"), _l("Give the time it starts."))
    slot_ends = _time(_l("Ends at"), _l("Give the time it ends."))

    def span(self) -> tuple[datetime, datetime]:
        """The local day and times as naive UTC."""
        day = self.slot_day.data
        return combine(day, self.slot_starts.data), combine(day, self.slot_ends.data)


class DeadlineForm(_RefusableForm):
    """Set the deadline (a day and a time), or press "remove" (the `clear` button) to have none."""

    FIELDS = {"deadline_at": "deadline_day"}

    deadline_day = DateField(_l("Last day to answer"), format=DATE_FORMATS, validators=[Optional()],
                             invalid_value_message=_l("Give the day as year-month-day, for example 2026-12-01."))
    deadline_time = TimeField(_l("Until"), format=TIME_FORMATS, validators=[Optional()],
                              invalid_value_message=_l("Give the time as hours:minutes, for example 14:00."))
    clear = SubmitField(_l("Remove the deadline"))

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        if not super().validate(extra_validators):
            return False
        if self.clear.data:
            return True
        for field, message in ((self.deadline_day, _l("Choose the last day to answer.")),
                               (self.deadline_time, _l("Give the time the poll closes."))):
            if field.data is None:
                field.errors = [message]
        return not (self.deadline_day.errors or self.deadline_time.errors)

    def deadline(self) -> datetime | None:
        """None when removing the deadline, else the local day and time as naive UTC."""
        if self.clear.data:
            return None
        return combine(self.deadline_day.data, self.deadline_time.data)


class AnswerForm(FlaskForm):
    """One slot's answer: the pressed button's value."""

    answer = StringField(validators=[
        InputRequired(_l("Choose yes, if need be, or no.")),
        AnyOf([kind.value for kind in PollAnswerKind], message=_l("Choose yes, if need be, or no."))])

    @property
    def kind(self) -> PollAnswerKind:
        return PollAnswerKind(self.answer.data)
