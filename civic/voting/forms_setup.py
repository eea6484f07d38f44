"""The committee's form for a vote's settings (times typed in Asia/Shanghai), and the wording fix after the freeze."""
from __future__ import annotations

from fractions import Fraction

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, RadioField, SelectField, SelectMultipleField
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from civic.errors import RuleViolation
from civic.meetings.localtime import to_local, to_utc
from civic.voting import expert
from civic.voting.decision import PRESETS, Rule, Threshold, rule_of
from civic.voting.labels import BASIS_LABELS, METHOD_LABELS, OP_LABELS, PRESET_LABELS, SECRECY_LABELS, UNIT_LABELS
from civic.voting.models import ApprovalBase, Basis, Method, Op, Preset, Secrecy, Unit, Vote
from civic.voting.settings import EXPLANATION_MAX, TITLE_MAX

BASE_LABELS = {ApprovalBase.PARTICIPATING: _l("of those who took part (abstentions count as taking part)"),
               ApprovalBase.ELIGIBLE: _l("of everyone who may vote")}
RULE_FIELDS = ("part_basis", "part_op", "part_num", "part_den", "appr_basis", "appr_op", "appr_num", "appr_den",
               "appr_base")


def _strip(value):  # noqa: ANN001
    return value.strip() if isinstance(value, str) else value


def _choices(labels: dict) -> list[tuple[str, str]]:
    return [(key.value, label) for key, label in labels.items()]


def _checkboxes(label, description=None) -> SelectMultipleField:  # noqa: ANN001
    return SelectMultipleField(label, coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                               validators=[Optional()], description=description)


class LocalDateTimeField(DateTimeLocalField):
    """type=datetime-local in Asia/Shanghai wall-clock time; `utc` gives naive UTC for the database."""

    def __init__(self, label, **kwargs):  # noqa: ANN001
        super().__init__(label, format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"], **kwargs)

    def process_formdata(self, valuelist) -> None:  # noqa: ANN001
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Enter the date and time like 2026-12-01 20:00."))) from error

    @property
    def utc(self):  # noqa: ANN201
        return to_utc(self.data) if self.data else None


def _fraction(label) -> IntegerField:  # noqa: ANN001
    return IntegerField(label, validators=[Optional(), NumberRange(min=0, max=1000, message=_l(
        "Enter a whole number from %(min)d to %(max)d."))], render_kw={"inputmode": "numeric", "min": 0})


class VoteForm(FlaskForm):
    """Every setting of a vote; `settings()` gives the keyword arguments of setup.create_vote / update_vote."""

    title = StringField(_l("Question"), filters=[_strip], validators=[InputRequired(_l(
        "Give the vote a title: the question people answer."))], render_kw={"maxlength": TITLE_MAX},
        description=_l("Ask one clear question, like 垃圾厢房建在东侧绿地还是西侧车棚旁？"))
    explanation = TextAreaField(_l("Explanation"), render_kw={"rows": 6, "maxlength": EXPLANATION_MAX},
                                description=_l("What is decided, why, costs, who pays. Markdown works: **bold**, "
                                               "lists with “-”."))
    method = SelectField(_l("How people answer"), choices=_choices(METHOD_LABELS), default=Method.YES_NO.value)
    max_choices = IntegerField(_l("Multiple choice: at most how many ticks"), validators=[Optional()],
                               render_kw={"inputmode": "numeric", "min": 1},
                               description=_l("Only for multiple choice. Leave empty for no limit."))
    choices = TextAreaField(_l("Choices, one per line"), render_kw={"rows": 4},
                            description=_l("Not needed for for/against/abstain. Design options ticked below come "
                                           "first on the ballot, then these lines."))
    design_options = _checkboxes(_l("Design options as choices"),
                                 _l("The current version of each ticked option is put to the vote."))
    unit = RadioField(_l("Who has a ballot"), choices=_choices(UNIT_LABELS), default=Unit.HOUSEHOLD.value)
    owners_only = BooleanField(_l("Owners only (业主): tenants and family members do not vote"), default=True)
    buildings = _checkboxes(_l("Buildings that vote"), _l("Tick none for the whole community."))
    preset = SelectField(_l("Decision rule"), choices=_choices(PRESET_LABELS), default=Preset.ART278_MAJOR.value)
    part_basis = SelectField(_l("Participation counted"), choices=_choices(BASIS_LABELS))
    part_op = SelectField(_l("Participation must be"), choices=_choices(OP_LABELS))
    part_num = _fraction(_l("Participation share: numerator"))
    part_den = _fraction(_l("Participation share: denominator"))
    appr_basis = SelectField(_l("Approval counted"), choices=_choices(BASIS_LABELS))
    appr_op = SelectField(_l("Approval must be"), choices=_choices(OP_LABELS))
    appr_num = _fraction(_l("Approval share: numerator"))
    appr_den = _fraction(_l("Approval share: denominator"))
    appr_base = RadioField(_l("Approval is a share"), choices=_choices(BASE_LABELS),
                           default=ApprovalBase.PARTICIPATING.value)
    secrecy = RadioField(_l("Secrecy"), choices=_choices(SECRECY_LABELS), default=Secrecy.SECRET.value)
    results_live = BooleanField(_l("Show the running count while the vote is open"))
    opens_at = LocalDateTimeField(_l("Opens at"), validators=[InputRequired(_l("Choose when the vote opens."))])
    closes_at = LocalDateTimeField(_l("Closes at"), validators=[InputRequired(_l("Choose when the vote closes."))])
    publicity_days = IntegerField(_l("Publicity period (公示) in days"), default=7, render_kw={
        "inputmode": "numeric", "min": 0, "max": 60}, validators=[InputRequired(_l("Enter a number of days."))])
    signoffs_required = SelectField(_l("Signatures needed to close early or publish"), coerce=int, default=2,
                                    choices=[(1, "1"), (2, "2"), (3, "3")])
    expert_weight_percent = IntegerField(_l("Weight of the expert review, per cent"), default=0, render_kw={
        "inputmode": "numeric", "min": 0, "max": 100}, validators=[Optional()])
    rubric = TextAreaField(_l("Expert criteria, one per line with its weight"), render_kw={"rows": 4},
                           description=_l("Like “安全 30”. The weights add up to 100."))

    def __init__(self, *args, options=(), buildings=(), **kwargs):  # noqa: ANN001
        super().__init__(*args, **kwargs)
        self.design_options.choices = [(o.option_id, f"{o.name}：{o.title}（v{o.version_number}）") for o in options]
        self.buildings.choices = [(b.id, b.name) for b in buildings]
        self.option_rows = list(options)

    def fill_rule(self, rule: Rule) -> None:
        for prefix, t in (("part", rule.participation), ("appr", rule.approval)):
            getattr(self, f"{prefix}_basis").data, getattr(self, f"{prefix}_op").data = t.basis.value, t.op.value
            share = t.share if t.share else Fraction(0)
            getattr(self, f"{prefix}_num").data, getattr(self, f"{prefix}_den").data = share.numerator, share.denominator
        self.appr_base.data = rule.base.value

    def fill(self, vote: Vote) -> None:
        """An edit form starts from what is stored (times shown in local time)."""
        plain = {name: getattr(vote, name) for name in ("title", "max_choices", "owners_only", "results_live",
                                                        "publicity_days", "signoffs_required",
                                                        "expert_weight_percent")}
        self.process(**plain, explanation=vote.explanation_md, method=vote.method.value, unit=vote.unit.value,
                     preset=vote.preset.value, secrecy=vote.secrecy.value, rubric=expert.rubric_text(vote),
                     choices="\n".join(c.label for c in vote.choices if c.option_id is None),
                     design_options=[c.option_id for c in vote.choices if c.option_id is not None],
                     buildings=[b.id for b in vote.buildings],
                     opens_at=to_local(vote.opens_at).replace(tzinfo=None),
                     closes_at=to_local(vote.closes_at).replace(tzinfo=None))
        self.fill_rule(rule_of(vote))

    def _custom(self) -> Rule | None:
        def threshold(prefix: str) -> Threshold:
            num, den = getattr(self, f"{prefix}_num").data, getattr(self, f"{prefix}_den").data
            basis = Basis(getattr(self, f"{prefix}_basis").data)
            if basis is not Basis.NONE and not (num and den and num <= den):
                raise RuleViolation(str(_l("A threshold is a fraction above 0 and at most 1, like 2/3 or 1/2.")),
                                    f"{prefix}_num")
            return Threshold(basis, Op(getattr(self, f"{prefix}_op").data),
                             Fraction(num, den) if basis is not Basis.NONE else Fraction(0))

        return Rule(threshold("part"), threshold("appr"), ApprovalBase(self.appr_base.data))

    def settings(self) -> dict:
        """The keyword arguments for the services; RuleViolation for a rubric or threshold that cannot be read."""
        preset = Preset(self.preset.data)
        return {
            "title": self.title.data or "", "explanation": self.explanation.data or "",
            "method": Method(self.method.data), "max_choices": self.max_choices.data,
            "choices": (self.choices.data or "").splitlines(), "design_options": self.design_options.data or [],
            "unit": Unit(self.unit.data), "owners_only": self.owners_only.data,
            "buildings": self.buildings.data or [], "preset": preset,
            "custom": self._custom() if preset is Preset.CUSTOM else None, "secrecy": Secrecy(self.secrecy.data),
            "results_live": self.results_live.data, "opens_at": self.opens_at.utc, "closes_at": self.closes_at.utc,
            "publicity_days": self.publicity_days.data, "signoffs_required": self.signoffs_required.data,
            "expert_weight_percent": self.expert_weight_percent.data or 0,
            "rubric": expert.parse_rubric(self.rubric.data or "") if self.expert_weight_percent.data else [],
        }


def preset_data(preset: Preset) -> str:
    """A preset's numbers for the form's little script ("both ge 2 3 both ge 3 4 participating")."""
    rule = PRESETS.get(preset)
    if rule is None:
        return ""
    parts = []
    for t in (rule.participation, rule.approval):
        parts += [t.basis.value, t.op.value, str(t.share.numerator), str(t.share.denominator)]
    return " ".join([*parts, rule.base.value])


class WordingForm(FlaskForm):
    """After the first ballot: only the question's wording and explanation may still be corrected."""

    title = VoteForm.title
    explanation = VoteForm.explanation
