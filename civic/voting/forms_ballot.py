"""Reading a ballot form (its inputs depend on the vote's method) and saying a ballot back in words."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from civic.errors import RuleViolation
from civic.voting import casting
from civic.voting.labels import ANSWER_LABELS, label
from civic.voting.models import Answer, Elector, Method, Vote

# Fields a ballot form never offers: the household is the one the server finds for the signed-in member.
REFUSED_FIELDS = ("household_id", "household", "elector_id", "building_id", "user_id", "channel")


@dataclass
class BallotInput:
    """What the member sent: kept as typed (`given`) to refill the form, and read (answer, marks, elector)."""

    given: dict = field(default_factory=dict)  # name → str or [str]; the template refills the form from it
    answer: Answer | None = None
    marks: dict[int, int] = field(default_factory=dict)
    elector: Elector | None = None
    error: str | None = None
    has_choice_of_household: bool = False  # the member votes for two households: the form offers `elector`

    def hidden_fields(self) -> list[tuple[str, str]]:
        """The confirmation step's hidden copies: only fields this ballot form offers, in canonical form."""
        return [(name, value) for name, values in sorted(self.given.items())
                for value in (values if isinstance(values, list) else [values]) if value != ""]


def _int(text: str) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        raise RuleViolation(_("That is not one of the ballot's options."), "choice") from None


def _given(vote: Vote, form: MultiDict) -> dict:
    given: dict = {"answer": form.get("answer", ""), "elector": form.get("elector", "")}
    if vote.method in (Method.SINGLE, Method.APPROVAL):
        given["choice"] = form.getlist("choice")
    prefix = {Method.RANKED: "rank-", Method.SCORE: "score-"}.get(vote.method)
    if prefix:
        given.update({f"{prefix}{c.id}": form.get(f"{prefix}{c.id}", "") for c in vote.choices})
        given.update({key: form[key] for key in form if key.startswith(prefix)})  # refused below if foreign
    return given


def _marks(vote: Vote, given: dict) -> dict[int, int]:
    if vote.method in (Method.SINGLE, Method.APPROVAL):
        chosen = [_int(v) for v in given["choice"] if v != ""]
        if len(set(chosen)) != len(chosen):
            raise RuleViolation(_("The same option was marked twice."), "choice")
        return {cid: 1 for cid in chosen}
    prefix = {Method.RANKED: "rank-", Method.SCORE: "score-"}.get(vote.method)
    if prefix is None:
        return {}
    return {_int(key[len(prefix):]): _int(value) for key, value in given.items()
            if key.startswith(prefix) and value != ""}


def _answer(text: str) -> Answer | None:
    if not text:
        return None
    try:
        return Answer(text)
    except ValueError:
        raise RuleViolation(_("Choose for, against or abstain."), "answer") from None


def _elector(text: str, electors: list[Elector]) -> Elector:
    """One of the member's OWN electors: a second household only by a choice among them, never by an id from outside."""
    if not electors:
        raise RuleViolation(_("Your household is not in this vote's electorate."))
    if not text:
        if len(electors) > 1:
            raise RuleViolation(_("You belong to two households here: choose which one you are voting for."),
                                "elector")
        return electors[0]
    for elector in electors:
        if str(elector.id) == text:
            return elector
    raise RuleViolation(_("You can vote only for your own household."), "elector")


def read(vote: Vote, form: MultiDict, electors: list[Elector]) -> BallotInput:
    """Parse and validate (casting.validate); `error` says what is wrong, in words for the member."""
    given = _given(vote, form)
    result = BallotInput(given=given, has_choice_of_household=len(electors) > 1)
    try:
        if any(name in form for name in REFUSED_FIELDS):
            raise RuleViolation(_("This form takes no household: you always vote for your own household."))
        result.elector = _elector(given["elector"], electors)
        result.answer, result.marks = _answer(given["answer"]), _marks(vote, given)
        casting.validate(vote, result.answer, result.marks)
    except RuleViolation as error:
        result.error = error.message
    return result


def words(vote: Vote, answer: Answer | None, marks: dict[int, int]) -> list[str]:
    """The ballot said back: "For"; "方案A"; "1. 方案C", "2. 方案A"; "方案A: 5 points"."""
    if answer is not None:
        return [label(ANSWER_LABELS, answer)]
    names = {c.id: c.label for c in vote.choices}
    if vote.method is Method.RANKED:
        return [f"{rank}. {names.get(cid, '?')}" for cid, rank in sorted(marks.items(), key=lambda i: i[1])]
    if vote.method is Method.SCORE:
        return [_("%(choice)s: %(n)d points", choice=c.label, n=marks[c.id]) for c in vote.choices if c.id in marks]
    return [c.label for c in vote.choices if c.id in marks]


def marks_of_key(vote: Vote, marks_key: str) -> dict[int, int]:
    """A stored ballot's marks from its canonical key (named votes show the household its own choice)."""
    if not marks_key:
        return {}
    parts = marks_key.split(",")
    if vote.method is Method.SCORE:
        return {int(c): int(s) for c, s in (p.split(":") for p in parts)}
    if vote.method is Method.RANKED:
        return {int(c): rank for rank, c in enumerate(parts, start=1)}
    return {int(c): 1 for c in parts}
