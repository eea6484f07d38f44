"""A vote's settings as plain values: read from a vote, merged with what the committee sent, and checked."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from fractions import Fraction

from flask_babel import gettext as _

from civic.errors import RuleViolation
from civic.voting.decision import PRESETS, Rule, Threshold, rule_of
from civic.voting.models import ApprovalBase, Basis, Method, Preset, Secrecy, Unit, Vote

TITLE_MAX = 120
EXPLANATION_MAX = 10_000
CHOICE_MAX = 120
CHOICES_MAX = 26  # 方案A … 方案Z; also the highest rank a ballot mark may hold
CRITERION_MAX = 40
PUBLICITY_DAYS_MAX = 60
# What may still be corrected after the first ballot: the wording, never what the ballots were cast under.
TEXT_FIELDS = frozenset({"title", "explanation"})
CHOICE_METHODS = frozenset({Method.SINGLE, Method.APPROVAL, Method.RANKED, Method.SCORE})


@dataclass(frozen=True)
class Settings:
    """Every setting of a vote. `choices` are the free-text labels, `design_options` option ids (in ballot order)."""

    title: str = ""
    explanation: str = ""
    method: Method = Method.YES_NO
    max_choices: int | None = None
    choices: tuple[str, ...] = ()
    design_options: tuple[int, ...] = ()
    unit: Unit = Unit.HOUSEHOLD
    owners_only: bool = True
    buildings: tuple[int, ...] = ()  # () = every building of the community
    preset: Preset = Preset.ART278_MAJOR
    custom: Rule | None = None  # only with Preset.CUSTOM
    secrecy: Secrecy = Secrecy.SECRET
    results_live: bool = False
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    publicity_days: int = 7
    signoffs_required: int = 2
    expert_weight_percent: int = 0
    rubric: tuple[tuple[str, int], ...] = ()

    @property
    def rule(self) -> Rule:
        return self.custom if self.preset is Preset.CUSTOM and self.custom else PRESETS.get(self.preset, self.custom)


NAMES = tuple(f.name for f in fields(Settings))


def of_vote(vote: Vote) -> Settings:
    """The vote's stored settings in the same shape the committee sends them."""
    return Settings(
        title=vote.title, explanation=vote.explanation_md or "", method=vote.method, max_choices=vote.max_choices,
        choices=tuple(c.label for c in vote.choices if c.option_id is None),
        design_options=tuple(c.option_id for c in vote.choices if c.option_id is not None),
        unit=vote.unit, owners_only=vote.owners_only, buildings=tuple(sorted(b.id for b in vote.buildings)),
        preset=vote.preset, custom=rule_of(vote) if vote.preset is Preset.CUSTOM else None, secrecy=vote.secrecy,
        results_live=vote.results_live, opens_at=vote.opens_at, closes_at=vote.closes_at,
        publicity_days=vote.publicity_days, signoffs_required=vote.signoffs_required,
        expert_weight_percent=vote.expert_weight_percent,
        rubric=tuple((c.name, c.weight_percent) for c in vote.criteria))


def merged(base: Settings, given: dict) -> Settings:
    """`base` with what was sent, tidied: stripped text, no choices on a yes/no vote, no custom rule on a preset."""
    unknown = set(given) - set(NAMES)
    if unknown:
        raise TypeError(f"unknown vote settings: {sorted(unknown)}")
    out = replace(base, **{k: v for k, v in given.items() if v is not None or k in ("max_choices", "custom")})
    method = Method(out.method)
    is_choice = method in CHOICE_METHODS
    return replace(
        out, title=(out.title or "").strip(), explanation=(out.explanation or "").strip(), method=method,
        choices=tuple(line.strip() for line in out.choices if line and line.strip()) if is_choice else (),
        design_options=tuple(dict.fromkeys(int(i) for i in out.design_options)) if is_choice else (),
        max_choices=out.max_choices if method is Method.APPROVAL else None,
        buildings=tuple(sorted({int(b) for b in out.buildings})), unit=Unit(out.unit), preset=Preset(out.preset),
        custom=_tidy_rule(out.custom) if Preset(out.preset) is Preset.CUSTOM else None,
        secrecy=Secrecy(out.secrecy), owners_only=bool(out.owners_only), results_live=bool(out.results_live),
        rubric=tuple((str(n).strip(), int(w)) for n, w in out.rubric) if out.expert_weight_percent else ())


def _tidy_rule(rule: Rule | None) -> Rule | None:
    """A threshold without a basis has no share: store 0, whatever numbers came with it."""
    if rule is None:
        return None

    def tidy(t: Threshold) -> Threshold:
        return Threshold(t.basis, t.op, Fraction(0)) if t.basis is Basis.NONE else t

    return Rule(tidy(rule.participation), tidy(rule.approval), ApprovalBase(rule.base))


def changed(old: Settings, new: Settings) -> list[str]:
    return [name for name in NAMES if getattr(old, name) != getattr(new, name)]


def check(s: Settings, *, choice_labels: list[str], now: datetime, opens_fixed: bool = False,
          is_new_close: bool = True) -> None:
    """Refuse settings a vote cannot run under. `choice_labels` are the full labels, options included.

    `opens_fixed`: the opening time was changed on a vote that has opened; `is_new_close`: the deadline is
    new or changed (one already stored is not held against the clock again).
    """
    _check_text(s)
    _check_choices(s, choice_labels)
    _check_rule(s)
    _check_times(s, now, opens_fixed, is_new_close)
    _check_numbers(s)


def _check_text(s: Settings) -> None:
    if not s.title:
        raise RuleViolation(_("Give the vote a title: the question people answer."), "title")
    if len(s.title) > TITLE_MAX:
        raise RuleViolation(_("The title may have at most %(max)d characters.", max=TITLE_MAX), "title")
    if len(s.explanation) > EXPLANATION_MAX:
        raise RuleViolation(_("The explanation may have at most %(max)d characters.", max=EXPLANATION_MAX),
                            "explanation")


def _check_choices(s: Settings, labels: list[str]) -> None:
    if s.method not in CHOICE_METHODS:
        return
    if len(labels) < 2:
        raise RuleViolation(_("A vote between choices needs at least two choices."), "choices")
    if len(labels) > CHOICES_MAX:
        raise RuleViolation(_("A vote may offer at most %(max)d choices.", max=CHOICES_MAX), "choices")
    long = next((label for label in s.choices if len(label) > CHOICE_MAX), None)
    if long:
        raise RuleViolation(_("A choice may have at most %(max)d characters: “%(choice)s”.", max=CHOICE_MAX,
                              choice=long[:20] + "…"), "choices")
    twice = next((label for i, label in enumerate(labels) if label in labels[:i]), None)
    if twice:
        raise RuleViolation(_("Each choice must be different: “%(choice)s” is there twice.", choice=twice), "choices")
    if s.method is Method.APPROVAL and s.max_choices is not None and not 1 <= s.max_choices <= len(labels):
        raise RuleViolation(_("People may tick from 1 to %(n)d choices; enter a number in that range, or leave it "
                              "empty for no limit.", n=len(labels)), "max_choices")


def _check_rule(s: Settings) -> None:
    rule = s.rule
    if rule is None:
        raise RuleViolation(_("Set the custom thresholds, or choose one of the rules."), "preset")
    for key, t in (("part", rule.participation), ("appr", rule.approval)):
        if t.basis is not Basis.NONE and not 0 < t.share <= 1:
            raise RuleViolation(_("A threshold is a fraction above 0 and at most 1, like 2/3 or 1/2."), f"{key}_num")
    by_area = {rule.participation.basis, rule.approval.basis} & {Basis.AREA, Basis.BOTH}
    if by_area and s.unit is Unit.RESIDENT:
        raise RuleViolation(_("Floor area belongs to a household: a rule that counts area needs one ballot per "
                              "household. Choose a rule by head, or one ballot per household."), "preset")


def _check_times(s: Settings, now: datetime, opens_fixed: bool, is_new_close: bool) -> None:
    if s.opens_at is None:
        raise RuleViolation(_("Choose when the vote opens."), "opens_at")
    if s.closes_at is None:
        raise RuleViolation(_("Choose when the vote closes."), "closes_at")
    if s.closes_at <= s.opens_at:
        raise RuleViolation(_("The vote must close after it opens."), "closes_at")
    if is_new_close and s.closes_at <= now:
        raise RuleViolation(_("The closing time has already passed; set a later one."), "closes_at")
    if opens_fixed:
        raise RuleViolation(_("The vote is already open; its opening time can no longer change."), "opens_at")


def _check_numbers(s: Settings) -> None:
    if not 0 <= s.publicity_days <= PUBLICITY_DAYS_MAX:
        raise RuleViolation(_("The publicity period is from 0 to %(max)d days.", max=PUBLICITY_DAYS_MAX),
                            "publicity_days")
    if not 1 <= s.signoffs_required <= 3:
        raise RuleViolation(_("From 1 to 3 of the three carriages must sign."), "signoffs_required")
    if not 0 <= s.expert_weight_percent <= 100:
        raise RuleViolation(_("The experts' weight is from 0 to 100 per cent."), "expert_weight_percent")
    if s.expert_weight_percent and s.method not in CHOICE_METHODS:
        raise RuleViolation(_("Experts score the choices: expert review needs a vote between choices."),
                            "expert_weight_percent")
    if s.expert_weight_percent and not s.rubric:
        raise RuleViolation(_("Give the experts their criteria, like “安全 30”, one per line."), "rubric")
