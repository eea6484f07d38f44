"""The paper-ballot form: which buildings and rooms the person may choose, the ballot inputs, the choice in words."""
from __future__ import annotations

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from civic.community.models import Building
from civic.community.rules import Standing
from civic.errors import RuleViolation
from civic.extensions import db
from civic.voting import doorknock, forms_ballot, paper, rules
from civic.voting.models import Answer, Elector, Unit, Vote

PAPER_FIELDS = frozenset({"csrf_token", "building", "household", "photo"})  # this form's own, not the ballot's


def enterable_buildings(st: Standing, vote: Vote) -> list[Building]:
    """The vote's buildings this person may enter paper ballots for (a leader: the ones they lead)."""
    ids = [b for b in doorknock.vote_building_ids(vote) if rules.can_enter_paper(st, vote, b)]
    if not ids:
        return []
    found = {b.id: b for b in db.session.execute(select(Building).where(Building.id.in_(ids))).scalars()}
    return [found[i] for i in ids]


def context(vote: Vote, buildings: list[Building], building: Building | None, *, errors: dict,
            values=None) -> dict:  # noqa: ANN001
    """What voting/paper.html needs; `values` (the posted form) keeps the input after a refusal."""
    values = values if values is not None else {}
    return {"buildings": buildings, "building": building, "errors": errors,
            "rooms": paper.rooms(vote, building.id) if building is not None else [],
            "is_resident_unit": vote.unit is Unit.RESIDENT,
            "chosen_household": _int(values.get("household")),
            "chosen_answer": values.get("answer", ""),
            "chosen_choices": {_int(v) for v in values.getlist("choice")} if hasattr(values, "getlist") else set(),
            "values": values}


def _int(value) -> int | None:  # noqa: ANN001
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def ballot_inputs(vote: Vote, form, elector: Elector) -> tuple[Answer | None, dict[int, int]]:  # noqa: ANN001
    """The online ballot's inputs (`answer`, `choice`, `rank-<id>`, `score-<id>`), read by the ballot form's own
    reader; this form's building/room/photo fields are not the ballot's, so they are left out for it."""
    fields = MultiDict([(k, v) for k, v in form.items(multi=True) if k not in PAPER_FIELDS])
    result = forms_ballot.read(vote, fields, [elector])
    if result.error:
        raise RuleViolation(result.error, "choice")
    return result.answer, result.marks


def choice_words(vote: Vote, answer: Answer | None, marks: dict[int, int]) -> str:
    """The ballot repeated in words for the success message: "For", "方案A", "1. 方案B, 2. 方案A"."""
    return ", ".join(forms_ballot.words(vote, answer, marks))
