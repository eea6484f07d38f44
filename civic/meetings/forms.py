"""Forms for creating and editing meetings, reception-day series, cancelling, and agenda items (local time)."""
from __future__ import annotations

from datetime import date, datetime, time

from babel.dates import format_skeleton
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms import TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from civic.meetings import agenda, series
from civic.meetings.editing import CAPACITY_MAX, DESCRIPTION_MAX, REASON_MIN
from civic.meetings.labels import kind_label
from civic.meetings.localtime import combine
from civic.meetings.models import AGENDA_TITLE_MAX, PLACE_MAX, REASON_MAX, TITLE_MAX

FIXED, POLL = "fixed", "poll"


def _strip(value):  # noqa: ANN001
    return value.strip() if isinstance(value, str) else value


def _checkboxes(label) -> SelectMultipleField:  # noqa: ANN001
    return SelectMultipleField(label, coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                               validators=[Optional()])


class LocalDateField(DateField):
    """type=date; a browser without a date picker gets a message it can act on (not WTForms' English one)."""

    def process_formdata(self, valuelist) -> None:  # noqa: ANN001
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Enter the date like 2026-12-01."))) from error


class LocalTimeField(TimeField):
    def process_formdata(self, valuelist) -> None:  # noqa: ANN001
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Enter the time like 14:00 (24-hour clock)."))) from error


def _title(label):  # noqa: ANN001, ANN202
    return StringField(label, filters=[_strip], validators=[
        DataRequired(_l("Give the meeting a title.")),
        Length(max=TITLE_MAX, message=_l("The title may have at most %(max)d characters."))])


def _place():  # noqa: ANN202
    return StringField(_l("Place"), filters=[_strip], description=_l("For example 一米会客厅 or 7号楼架空层."),
                       validators=[DataRequired(_l("Say where the meeting takes place.")),
                                   Length(max=PLACE_MAX, message=_l("The place may have at most %(max)d characters."))])


def _capacity():  # noqa: ANN202
    return IntegerField(_l("Number of places"), description=_l("Leave empty for no limit. When it is full, people join a waiting list."),
                        validators=[Optional(), NumberRange(min=1, max=CAPACITY_MAX, message=_l(
                            "Enter a number of places from %(min)d to %(max)d, or leave it empty for no limit."))],
                        render_kw={"inputmode": "numeric", "min": 1})


def _description():  # noqa: ANN202
    return TextAreaField(_l("What is it about? (optional)"), description=_l("Markdown works: **bold**, lists with “-”, links."),
                         validators=[Length(max=DESCRIPTION_MAX, message=_l("The text may have at most %(max)d characters."))],
                         render_kw={"rows": 5})


class MeetingForm(FlaskForm):
    """Create or edit. Date and times are Asia/Shanghai wall-clock time; `times()` gives naive UTC."""

    kind = RadioField(_l("Kind of meeting"), validators=[InputRequired(_l("Choose the kind of meeting."))])
    title = _title(_l("Title"))
    time_mode = RadioField(_l("When"), default=FIXED, choices=[
        (FIXED, _l("I know the date and time")),
        (POLL, _l("Find a time with a poll (约时间): offer a few times, neighbours say which suit them"))],
        validators=[InputRequired(_l("Choose how the time is set."))])
    day = LocalDateField(_l("Date"), validators=[Optional()])
    starts = LocalTimeField(_l("Starts at"), validators=[Optional()])
    ends = LocalTimeField(_l("Ends at"), validators=[Optional()])
    place = _place()
    capacity = _capacity()
    description = _description()
    projects = _checkboxes(_l("Projects it concerns"))
    proposals = _checkboxes(_l("Proposals it concerns"))

    def __init__(self, *args, kinds=(), projects=(), proposals=(), can_poll: bool = True, **kwargs):  # noqa: ANN001
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, kind_label(k)) for k in kinds]
        if len(kinds) == 1 and not self.kind.data:
            self.kind.data = kinds[0].value
        if not can_poll:  # a scheduled meeting keeps a fixed time (people have signed up for it)
            self.time_mode.choices = [c for c in self.time_mode.choices if c[0] == FIXED]
        self.can_poll = can_poll
        self.projects.choices = [(p.id, p.title) for p in projects]
        self.proposals.choices = [(p.id, f"#{p.id} {p.title}") for p in proposals]

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        """A fixed time needs the date and both times; a poll needs none (the slots come next)."""
        is_valid = super().validate(extra_validators)
        if self.time_mode.data != FIXED:
            return is_valid
        for field, message in ((self.day, _l("Choose the date.")), (self.starts, _l("Choose the start time.")),
                               (self.ends, _l("Choose the end time."))):
            if field.data is None and not field.errors:
                field.errors = [*field.errors, message]
                is_valid = False
        return is_valid

    def times(self) -> tuple[datetime | None, datetime | None]:
        if self.time_mode.data != FIXED:
            return None, None
        return combine(self.day.data, self.starts.data), combine(self.day.data, self.ends.data)


NTH_CHOICES = [(n, label) for n, label in series.NTH_LABELS.items()]


def month_choices(today: date, count: int = 12) -> list[tuple[str, str]]:
    """This month and the next ones, as "2026-12" → "2026年12月" (a select is easier than a month picker)."""
    return [(f"{m:%Y-%m}", format_skeleton("yMMMM", m, locale=get_locale())) for m in series.month_starts(today, count)]


class SeriesForm(FlaskForm):
    title = _title(_l("Title"))
    nth = SelectField(_l("Which one in the month"), coerce=int, choices=NTH_CHOICES, default=1)
    weekday = SelectField(_l("Day of the week"), coerce=int, default=1)
    starts = LocalTimeField(_l("Starts at"), default=time(14, 0),
                            validators=[InputRequired(_l("Choose the start time."))])
    ends = LocalTimeField(_l("Ends at"), default=time(16, 0), validators=[InputRequired(_l("Choose the end time."))])
    first_month = SelectField(_l("Starting with the month"), validators=[InputRequired(_l("Choose the first month."))])
    months = IntegerField(_l("For how many months"), default=12, render_kw={"inputmode": "numeric", "min": 1},
                          validators=[InputRequired(_l("Say for how many months.")), NumberRange(
                              min=1, max=series.MONTHS_MAX, message=_l("Enter a number of months from %(min)d to %(max)d."))])
    place = _place()
    capacity = _capacity()
    description = _description()

    def __init__(self, *args, today: date, **kwargs):  # noqa: ANN001
        super().__init__(*args, **kwargs)
        self.weekday.choices = [(d, series.weekday_name(d)) for d in range(7)]
        self.first_month.choices = month_choices(today)

    def first_day(self) -> date:
        year, month = (int(part) for part in self.first_month.data.split("-"))
        return date(year, month, 1)


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Why is it cancelled?"), filters=[_strip],
                           description=_l("Everyone who signed up or answered the time poll is told, with this reason."),
                           validators=[DataRequired(_l("Say why the meeting is cancelled.")), Length(
                               min=REASON_MIN, max=REASON_MAX,
                               message=_l("Say in %(min)d to %(max)d characters why the meeting is cancelled."))],
                           render_kw={"rows": 2, "maxlength": REASON_MAX})


class AgendaItemForm(FlaskForm):
    title = StringField(_l("Agenda item"), filters=[_strip], validators=[
        DataRequired(_l("Say what the item is about.")),
        Length(max=AGENDA_TITLE_MAX, message=_l("An agenda item may have at most %(max)d characters."))],
        render_kw={"maxlength": AGENDA_TITLE_MAX})
    minutes = IntegerField(_l("Time box in minutes (optional)"), render_kw={"inputmode": "numeric", "min": 1, "max": agenda.MINUTES_MAX},
                           validators=[Optional(), NumberRange(min=1, max=agenda.MINUTES_MAX, message=_l(
                               "A time box is from %(min)d to %(max)d minutes."))])
    proposal = SelectField(_l("About the proposal (optional)"), coerce=int, default=0)

    def __init__(self, *args, proposals=(), **kwargs):  # noqa: ANN001
        super().__init__(*args, **kwargs)
        self.proposal.choices = [(0, _l("— no proposal —"))] + [(p.id, f"#{p.id} {p.title}") for p in proposals]
