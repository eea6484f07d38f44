"""Printed lobby notices of a vote: the open vote (how to vote, by when) and its result (figures, verdict, digest)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _

from civic.community.models import Community
from civic.meetings.localtime import local_date, to_local
from civic.meetings.notice import public_url, qr_svg, short_url
from civic.voting import signoff, tally
from civic.voting.decision import rule_of, verdict_sentence
from civic.voting.labels import ANSWER_LABELS, PRESET_LABELS, label
from civic.voting.models import Answer, Method, Vote
from civic.voting.results_format import rule_sentence
from civic.voting.publicity import ends_words


def when_words(at: datetime) -> str:
    """"2026年11月30日星期一 20:00" — the local day in full, then the 24-hour time."""
    return f"{format_date(local_date(at), 'full')} {to_local(at):%H:%M}"


def choice_words(vote: Vote) -> list[str]:
    if vote.method is Method.YES_NO:
        return [label(ANSWER_LABELS, a) for a in (Answer.FOR, Answer.AGAINST, Answer.ABSTAIN)]
    return [c.label for c in vote.choices]


def how_to_mark(vote: Vote) -> str:
    """One sentence on filling in the ballot, in the words of its method."""
    if vote.method is Method.YES_NO:
        return _("Choose for, against or abstain.")
    if vote.method is Method.SINGLE:
        return _("Choose one of the options.")
    if vote.method is Method.APPROVAL:
        if vote.max_choices:
            return _("Tick every option you agree with, at most %(n)d.", n=vote.max_choices)
        return _("Tick every option you agree with.")
    if vote.method is Method.RANKED:
        return _("Number the options in your order of preference: 1 for your favourite, then 2, 3 …")
    return _("Give every option a score from 0 (worst) to 5 (best).")


def rule_words(vote: Vote) -> str:
    """The preset's name, then each threshold in the words of the results page."""
    rule = rule_of(vote)
    return " ".join([f"{label(PRESET_LABELS, vote.preset)}：", rule_sentence(rule.participation, "participation"),
                     rule_sentence(rule.approval, "approval")])


def _qr(community: Community, vote: Vote, endpoint: str) -> dict:
    url = public_url(endpoint, slug=community.slug, vote_id=vote.id)
    return {"url": url, "short_url": short_url(url), "qr": qr_svg(url, vote.title)}


def notice_context(community: Community, vote: Vote) -> dict:
    """Everything the A4 notice of an announced or open vote shows."""
    return {"community": community, "vote": vote, **_qr(community, vote, "voting.show"),
            "choice_words": choice_words(vote), "how_to_mark": how_to_mark(vote), "rule_words": rule_words(vote),
            "opens_words": when_words(vote.opens_at), "closes_words": when_words(vote.closes_at),
            "building_names": [b.name for b in vote.buildings]}


def result_notice_context(community: Community, vote: Vote) -> dict:
    """Everything the A4 result notice shows: the stored tally, verdict, digest, signatures, publicity period."""
    result = tally.stored(vote)
    return {"community": community, "vote": vote, **_qr(community, vote, "voting.results"),
            "tally": result, "verdict_text": verdict_sentence(result.verdict), "rule_words": rule_words(vote),
            "signatures": signoff.signatures(vote), "closed_words": when_words(vote.closed_at) if vote.closed_at
            else "", "publicity_ends_words": ends_words(vote.publicity_ends_at) if vote.publicity_ends_at else ""}
