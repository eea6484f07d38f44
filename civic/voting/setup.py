"""Setting up a vote: create it, change its settings until the first ballot, refuse (and audit) changes after."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete

from civic.audit.models import record
from civic.community.models import Building
from civic.errors import RuleViolation
from civic.extensions import db
from civic.projects.models import Project
from civic.voting import electorate, expert, locks, queries, settings
from civic.voting.decision import apply_rule
from civic.voting.models import State, Vote, VoteChoice
from civic.voting.settings import CHOICE_MAX, Settings
from civic.web.markdown import render

ELECTORATE_FIELDS = frozenset({"unit", "owners_only", "buildings"})
FROZEN_MESSAGE = "Ballots have been cast: the choices, method, rule, electorate and weights can no longer change."


class SettingsFrozen(RuleViolation):
    """A change refused because ballots exist; the refusal itself is already committed to the audit log."""

    def __init__(self, fields: list[str]):
        super().__init__(_(FROZEN_MESSAGE), fields[0] if fields else None)
        self.fields = fields


def create_vote(project: Project, *, actor, now: datetime, **given) -> Vote:  # noqa: ANN001
    """A draft vote of the project (residents see it once announced). Raises RuleViolation, writes nothing then."""
    if given.get("buildings") is None:
        given["buildings"] = [b.id for b in project.buildings]  # the project's buildings unless chosen otherwise
    wanted = settings.merged(Settings(), given)
    options = _options(project, wanted)
    _check(project, wanted, options, now=now, opens_fixed=False)
    vote = Vote(community_id=project.community_id, project_id=project.id, created_by_id=actor.id if actor else None,
                created_at=now, state=State.DRAFT, title=wanted.title, opens_at=wanted.opens_at,
                closes_at=wanted.closes_at)
    db.session.add(vote)
    _apply(vote, project, wanted, settings.NAMES, options)
    db.session.flush()
    record(project.community_id, actor, "vote.create", f"vote:{vote.id}", now, title=vote.title,
           project_id=project.id)
    return vote


def update_vote(vote: Vote, *, actor, now: datetime, **given) -> list[str]:  # noqa: ANN001
    """Change settings under the vote's exclusive lock; returns the names of the settings that changed.

    Once a ballot exists only the title and explanation may still be corrected; any other change raises
    SettingsFrozen after committing a `vote.settings_refused` audit entry (the refusal must stay on record
    even though the caller rolls back; nothing else has been written by then).
    """
    vote = locks.for_change(vote.id)
    old = settings.of_vote(vote)
    wanted = settings.merged(old, given)
    fields = settings.changed(old, wanted)
    if not fields:
        return []
    frozen = [f for f in fields if f not in settings.TEXT_FIELDS]
    if frozen and (queries.has_ballots(vote) or vote.state not in (State.DRAFT, State.SCHEDULED, State.OPEN)):
        _refuse_frozen(vote, actor, now, fields, frozen)
    project = db.session.get(Project, vote.project_id)
    options = _options(project, wanted)
    _check(project, wanted, options, now=now,
           opens_fixed=vote.state is State.OPEN and "opens_at" in fields, closes_unchanged="closes_at" not in fields)
    _apply(vote, project, wanted, fields, options)
    if vote.state is State.OPEN and ELECTORATE_FIELDS & set(fields):
        db.session.flush()
        electorate.snapshot(vote)  # no ballot yet: the electorate may still be re-drawn
    record(vote.community_id, actor, "vote.edit", f"vote:{vote.id}", now, fields=fields)
    return fields


def _refuse_frozen(vote: Vote, actor, now: datetime, fields: list[str], frozen: list[str]) -> None:  # noqa: ANN001
    record(vote.community_id, actor, "vote.settings_refused", f"vote:{vote.id}", now, fields=fields,
           state=vote.state.value)
    db.session.commit()  # kept even though the change is refused: an attempt on frozen rules is on record
    raise SettingsFrozen(frozen)


def _options(project: Project, wanted: Settings) -> dict:
    """The chosen design options as offered for a vote (current version); other ids are refused."""
    if not wanted.design_options:
        return {}
    from civic.designs.queries import vote_choices

    offered = {o.option_id: o for o in vote_choices(project)}
    if any(i not in offered for i in wanted.design_options):
        raise RuleViolation(_("Only this project's published design options can be choices."), "design_options")
    return {i: offered[i] for i in wanted.design_options}


def _labels(wanted: Settings, options: dict) -> list[str]:
    return [option_label(options[i]) for i in wanted.design_options] + list(wanted.choices)


def option_label(option) -> str:  # noqa: ANN001
    """"方案A：东侧绿地" — how a design option reads on the ballot."""
    return f"{option.name}：{option.title}"[:CHOICE_MAX]


def _check(project: Project, wanted: Settings, options: dict, *, now: datetime, opens_fixed: bool,
           closes_unchanged: bool = False) -> None:
    settings.check(wanted, choice_labels=_labels(wanted, options), now=now, opens_fixed=opens_fixed,
                   is_new_close=not closes_unchanged)
    if wanted.rubric:
        expert.validate_rubric(list(wanted.rubric))
    if wanted.buildings:
        found = db.session.scalars(db.select(Building.id).where(
            Building.id.in_(wanted.buildings), Building.community_id == project.community_id)).all()
        if len(found) != len(wanted.buildings):
            raise RuleViolation(_("Choose buildings of this community."), "buildings")


def _apply(vote: Vote, project: Project, wanted: Settings, fields, options: dict) -> None:  # noqa: ANN001
    """Write the changed settings onto the vote (all of them for a new vote)."""
    for name in ("title", "method", "max_choices", "unit", "owners_only", "secrecy", "results_live", "opens_at",
                 "closes_at", "publicity_days", "signoffs_required", "expert_weight_percent"):
        setattr(vote, name, getattr(wanted, name))
    if "explanation" in fields:
        vote.explanation_md, vote.explanation_html = wanted.explanation, render(wanted.explanation)
    if {"preset", "custom"} & set(fields):
        apply_rule(vote, wanted.preset, wanted.rule)
    if "buildings" in fields:
        vote.buildings = list(db.session.scalars(db.select(Building).where(Building.id.in_(wanted.buildings))))
    if {"choices", "design_options", "method"} & set(fields):
        _replace_choices(vote, wanted, options)
    if {"rubric", "expert_weight_percent"} & set(fields):
        if wanted.rubric:
            expert.set_rubric(vote, list(wanted.rubric))
        else:
            expert.clear_rubric(vote)


def _replace_choices(vote: Vote, wanted: Settings, options: dict) -> None:
    if vote.id is not None:
        # A bulk delete first: the unit of work would insert the new positions before deleting the old (UNIQUE).
        db.session.execute(delete(VoteChoice).where(VoteChoice.vote_id == vote.id))
        db.session.expire(vote, ["choices"])
    rows = [VoteChoice(label=option_label(options[i]), option_id=i, version_id=options[i].version_id)
            for i in wanted.design_options]
    rows += [VoteChoice(label=label) for label in wanted.choices]
    for position, row in enumerate(rows, start=1):
        row.position = position
    vote.choices = rows
