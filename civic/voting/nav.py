"""The links every vote page shows under its title: what this member may open, by the same rules the views check."""
from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from flask import url_for
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from civic.community.rules import Standing
from civic.voting import rules
from civic.voting.models import State, Vote


class Link(NamedTuple):
    endpoint: str
    label: str
    url: str


def _candidates(st: Standing, vote: Vote, now: datetime) -> list[tuple[str, object, bool]]:
    announced = vote.state is not State.DRAFT
    return [
        ("voting.show", _l("Ballot"), True),
        ("voting.results", _l("Results"), rules.can_see_results(st, vote)),
        ("voting.turnout", _l("Turnout"), rules.can_view_turnout(st, vote)),
        ("voting.paper", _l("Paper ballots"), rules.can_enter_paper(st, vote)),
        ("voting.expert", _l("Expert review"), rules.can_review(st, vote)),
        ("voting.manage", _l("Sign-off and closing"), announced and (rules.can_sign(st, vote)
                                                                     or rules.can_manage_vote(st, vote))),
        ("voting.objections", _l("Objections"), vote.publicity_ends_at is not None),
        ("voting.edit_vote", _l("Settings"), rules.can_manage_vote(st, vote) and rules.is_settings_state(vote)),
        ("voting.notice", _l("Print notice"), announced),
    ]


def links(st: Standing, vote: Vote, now: datetime) -> list[Link]:
    """Only the pages that exist already (routes are added module by module) and that this member may open."""
    out = []
    for endpoint, label, allowed in _candidates(st, vote, now):
        if not allowed:
            continue
        try:
            url = url_for(endpoint, slug=vote_slug(vote), vote_id=vote.id)
        except BuildError:
            continue
        out.append(Link(endpoint, str(label), url))
    return out


def vote_slug(vote: Vote) -> str:
    from flask import g

    return g.community.slug
