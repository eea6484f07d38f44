"""Forms for design options: create or edit an option, publish it, and upload a new version with its spec sheet."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import DecimalField, IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from civic.designs import specs
from civic.designs.services import CHANGE_NOTE_MAX

TITLE_MAX = 80
SUMMARY_MAX = 5_000
SPEC_NOTES_MAX = 500
UNIT_MAX = 20
ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"
# Units designers use most; the field stays free text (a datalist only suggests).
COMMON_UNITS = ("充电位", "个桶位", "个座位", "辆")


def _strip(value):  # noqa: ANN001
    return value.strip() if isinstance(value, str) else value


class LooseDecimalField(DecimalField):
    """Accepts what people type on a phone: "120,000", "¥120000", full-width digits; empty means "not known".

    A text input (inputmode=decimal brings up the number pad): type=number would refuse "120,000" silently.
    """

    widget = TextInput()

    def _value(self) -> str:
        """120000.00 reads as "120000", 18.50 as "18.5": what the designer typed, not the column's scale."""
        if self.raw_data or self.data is None:
            return super()._value()
        text = format(self.data, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text

    def process_formdata(self, valuelist) -> None:  # noqa: ANN001
        if not valuelist:
            return
        text = "".join(valuelist[0].split()).translate(_FULL_WIDTH)
        text = text.replace(",", "").replace("¥", "").replace("￥", "")
        if not text:
            self.data = None
            return
        try:
            self.data = Decimal(text).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError) as error:
            self.data = None
            raise ValueError(str(_l("Enter a number, like 12000 or 18.5."))) from error


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def _amount(label, maximum: int, description=None):  # noqa: ANN001, ANN202
    return LooseDecimalField(label, description=description, places=2, validators=[
        Optional(), NumberRange(min=0, max=maximum, message=_l("Enter a number from %(min)s to %(max)s."))],
        render_kw={"inputmode": "decimal"})


def _count(label, maximum: int):  # noqa: ANN001, ANN202
    return IntegerField(label, validators=[Optional(), NumberRange(
        min=0, max=maximum, message=_l("Enter a whole number from %(min)s to %(max)s."))],
        render_kw={"inputmode": "numeric", "min": 0, "max": maximum})


class OptionForm(FlaskForm):
    """Create an option, or edit its title and summary (its versions never change)."""

    title = StringField(_l("Short description"), filters=[_strip],
                        description=_l("For example 东侧绿地，封闭式厢房. At most %(n)d characters.", n=TITLE_MAX),
                        validators=[DataRequired(_l("Describe the option in a few words.")),
                                    Length(max=TITLE_MAX, message=_l("At most %(max)d characters."))],
                        render_kw={"maxlength": TITLE_MAX})
    summary = TextAreaField(_l("Summary (optional)"), description=_l("Markdown works: **bold**, lists with “-”, links."),
                            validators=[Length(max=SUMMARY_MAX, message=_l("At most %(max)d characters."))],
                            render_kw={"rows": 6})


class PublishForm(FlaskForm):
    """Only the CSRF token: publishing takes no input."""


def _checkboxes(label) -> SelectMultipleField:  # noqa: ANN001
    return SelectMultipleField(label, coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                               validators=[Optional()])


class VersionForm(FlaskForm):
    """A new version: files, what changed and why (from v2 on), the spec sheet, and the comments it answers."""

    files = MultipleFileField(_l("Drawings and photos"),
                              description=_l("JPEG, PNG or WebP pictures, or PDF files; several at once."),
                              render_kw={"accept": ACCEPT})
    change_note = TextAreaField(_l("What changed and why"), validators=[
        Length(max=CHANGE_NOTE_MAX, message=_l("At most %(max)d characters."))], render_kw={"rows": 5})
    cost_yuan = _amount(_l("Estimated cost (yuan)"), 100_000_000)
    area_m2 = _amount(_l("Area used (m²)"), 100_000)
    capacity = _count(_l("Capacity"), 100_000)
    capacity_unit = StringField(_l("Unit of capacity"), filters=[_strip],
                                description=_l("For example 充电位, 个桶位, 个座位."),
                                validators=[Length(max=UNIT_MAX, message=_l("At most %(max)d characters."))],
                                render_kw={"list": "capacity-units", "maxlength": UNIT_MAX})
    build_days = _count(_l("Build time (days)"), 3_650)
    yearly_fee_yuan = _amount(_l("Yearly fee per household (yuan)"), 100_000)
    spec_notes = TextAreaField(_l("Other notes"), filters=[_strip], validators=[
        Length(max=SPEC_NOTES_MAX, message=_l("At most %(max)d characters."))], render_kw={"rows": 2})
    addresses = _checkboxes(_l("Comments this version answers"))

    def __init__(self, *args, previous: int = 0, open_comments=(), **kwargs):  # noqa: ANN001
        super().__init__(*args, **kwargs)
        self.previous = previous  # the current version's number (0: this will be v1)
        self.addresses.choices = list(open_comments)
        if previous:
            self.change_note.label.text = _l("What changed since v%(n)d, and why", n=previous)

    def validate_change_note(self, field) -> None:  # noqa: ANN001
        if self.previous and not (field.data or "").strip():
            raise ValidationError(_l("Say what changed since v%(n)d and why: residents read this first.",
                                     n=self.previous))

    def chosen_files(self) -> list:
        """The files actually chosen: an untouched file input still sends one empty part."""
        return [f for f in (self.files.data or []) if f and f.filename]

    def spec(self) -> dict:
        return {key: getattr(self, key).data for key in (*specs.NUMERIC_KEYS, "capacity_unit", "spec_notes")}

    def fill_spec(self, values: dict) -> None:
        for key, value in values.items():
            if hasattr(self, key):
                getattr(self, key).data = value
