"""How methods, units, rules and states of votes are named on pages, and the votes' timeline sentences."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from civic.projects.labels import EVENT_SENTENCES
from civic.voting.models import Answer, Basis, Channel, Method, Op, Preset, Secrecy, State, Unit

METHOD_LABELS = {
    Method.YES_NO: _l("For / against / abstain"),
    Method.SINGLE: _l("Single choice"),
    Method.APPROVAL: _l("Multiple choice (approval)"),
    Method.RANKED: _l("Ranked choice (instant runoff)"),
    Method.SCORE: _l("Score each choice 0–5"),
}
UNIT_LABELS = {Unit.HOUSEHOLD: _l("One ballot per household"), Unit.RESIDENT: _l("One ballot per resident")}
PRESET_LABELS = {
    Preset.ART278_MAJOR: _l("Civil Code Art. 278, major matters (items 6–8)"),
    Preset.ART278_OTHER: _l("Civil Code Art. 278, other matters"),
    Preset.SIMPLE_MAJORITY: _l("Simple majority of ballots cast"),
    Preset.HOUSEHOLD_MAJORITY: _l("Majority of all eligible households"),
    Preset.CUSTOM: _l("Custom thresholds"),
}
BASIS_LABELS = {Basis.NONE: _l("No threshold"), Basis.HEAD: _l("By head"), Basis.AREA: _l("By floor area"),
                Basis.BOTH: _l("By head and by floor area")}
OP_LABELS = {Op.GE: _l("at least (≥)"), Op.GT: _l("more than (>)")}
SECRECY_LABELS = {Secrecy.SECRET: _l("Secret ballot"), Secrecy.NAMED: _l("Named ballot (register kept)")}
STATE_LABELS = {
    State.DRAFT: _l("Draft"),
    State.SCHEDULED: _l("Announced"),
    State.OPEN: _l("Open"),
    State.CLOSED: _l("Closed, result not yet published"),
    State.PUBLISHED: _l("Result published"),
}
ANSWER_LABELS = {Answer.FOR: _l("For"), Answer.AGAINST: _l("Against"), Answer.ABSTAIN: _l("Abstain")}
CHANNEL_LABELS = {Channel.ONLINE: _l("online"), Channel.PAPER: _l("on paper")}


def label(table: dict, key) -> str:  # noqa: ANN001
    return str(table.get(key, key))


EVENT_SENTENCES.update({
    "vote_announced": lambda d, actor: _("%(actor)s announced the vote “%(title)s”.", actor=actor,
                                         title=d.get("title", "")),
    "vote_closed": lambda d, actor: _("The vote “%(title)s” closed.", title=d.get("title", "")),
    "vote_published": lambda d, actor: _("The result of the vote “%(title)s” was published: %(verdict)s.",
                                         title=d.get("title", ""), verdict=d.get("verdict", "")),
    "vote_objection": lambda d, actor: _("%(actor)s filed an objection to the result of “%(title)s”.", actor=actor,
                                         title=d.get("title", "")),
    "vote_objection_answered": lambda d, actor: _("%(actor)s answered an objection to the result of “%(title)s”.",
                                                  actor=actor, title=d.get("title", "")),
})
