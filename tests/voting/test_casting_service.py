"""casting.cast and casting.validate: every bad ballot refused with nothing written; changes keep history."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.voting import casting, electorate
from civic.voting.models import (Answer, Ballot, BallotMark, BallotRecord, Channel, Elector, Method, PaperSlip,
                                 State)


def _elector(vote, user):
    return electorate.electors_of(vote, user.id)[0]


def _counts(vote):
    db.session.rollback()
    return tuple(db.session.query(model).filter_by(vote_id=vote.id).count()
                 for model in (Ballot, BallotMark, BallotRecord))


def _refused(vote, user, *, elector_id=None, answer=None, marks=None, now=None, match=""):
    with force_locale("en"), pytest.raises(RuleViolation, match=match) as raised:
        casting.cast(vote.id, elector_id=elector_id or _elector(vote, user).id, actor=user, answer=answer,
                     marks=marks or {}, now=now or utcnow())
    db.session.rollback()
    assert _counts(vote) == (0, 0, 0)
    return raised.value


def test_yes_no_cast_and_change_keeps_one_ballot_and_the_history(vworld, make_vote):
    vote = make_vote()
    elector = _elector(vote, vworld.resident)
    first = casting.cast(vote.id, elector_id=elector.id, actor=vworld.resident, answer=Answer.FOR, marks={},
                         now=utcnow())
    db.session.commit()
    assert first.answer == "for" and first.revision == 1 and len(first.receipt) == 10
    assert set(first.receipt) <= set(casting.RECEIPT_ALPHABET)
    assert (first.household_id, first.building_id, first.area_m2) == (vworld.h701.id, vworld.b7.id,
                                                                      vworld.h701.area_m2)
    receipt = first.receipt
    second = casting.cast(vote.id, elector_id=elector.id, actor=vworld.resident, answer=Answer.AGAINST, marks={},
                          now=utcnow())
    db.session.commit()
    assert second.id == first.id and second.revision == 2 and second.answer == "against"
    assert second.receipt != receipt
    assert _counts(vote) == (1, 0, 2)
    records = db.session.query(BallotRecord).filter_by(vote_id=vote.id).order_by(BallotRecord.id).all()
    assert [r.answer for r in records] == ["for", "against"] and records[0].receipt == receipt


@pytest.mark.parametrize("method,marks,key", [
    (Method.SINGLE, lambda c: {c[1]: 1}, lambda c: f"{c[1]}"),
    (Method.APPROVAL, lambda c: {c[2]: 1, c[0]: 1}, lambda c: f"{c[0]},{c[2]}"),
    (Method.RANKED, lambda c: {c[2]: 1, c[0]: 2}, lambda c: f"{c[2]},{c[0]}"),
    (Method.SCORE, lambda c: {c[0]: 5, c[1]: 0, c[2]: 3}, lambda c: f"{c[0]}:5,{c[1]}:0,{c[2]}:3"),
])
def test_choice_methods_store_marks_and_a_canonical_key(vworld, make_vote, method, marks, key):
    vote = make_vote(method=method, choices=("A", "B", "C"), max_choices=2)
    ids = [c.id for c in vote.choices]
    ballot = casting.cast(vote.id, elector_id=_elector(vote, vworld.resident).id, actor=vworld.resident,
                          answer=None, marks=marks(ids), now=utcnow())
    db.session.commit()
    assert ballot.marks_key == key(ids) and ballot.answer is None
    stored = dict(db.session.query(BallotMark.choice_id, BallotMark.value).filter_by(ballot_id=ballot.id).all())
    assert stored == marks(ids)


def test_changing_a_choice_ballot_replaces_the_marks(vworld, make_vote):
    vote = make_vote(method=Method.APPROVAL, choices=("A", "B", "C"))
    a, b, c = (ch.id for ch in vote.choices)
    elector_id = _elector(vote, vworld.resident).id
    casting.cast(vote.id, elector_id=elector_id, actor=vworld.resident, answer=None, marks={a: 1, b: 1}, now=utcnow())
    db.session.commit()
    ballot = casting.cast(vote.id, elector_id=elector_id, actor=vworld.resident, answer=Answer.ABSTAIN, marks={},
                          now=utcnow())
    db.session.commit()
    assert ballot.answer == "abstain" and ballot.marks_key == ""
    assert _counts(vote) == (1, 0, 2)


@pytest.mark.parametrize("method,answer,marks,match", [
    (Method.YES_NO, None, {}, "Choose for, against or abstain"),
    (Method.YES_NO, Answer.FOR, {1: 1}, "no choices"),
    (Method.SINGLE, None, {}, "Choose an option"),
    (Method.SINGLE, Answer.FOR, {}, "not for or against"),
    (Method.SINGLE, Answer.ABSTAIN, "A", "abstention marks no choice"),
    (Method.SINGLE, None, "AB", "exactly one"),
    (Method.SINGLE, None, {"A": 2}, "exactly one"),
    (Method.APPROVAL, None, "ABC", "at most 2"),
    (Method.APPROVAL, None, {"A": 2}, "Tick"),
    (Method.RANKED, None, {"A": 1, "B": 3}, "without gaps"),
    (Method.RANKED, None, {"A": 2, "B": 3}, "without gaps"),
    (Method.RANKED, None, {"A": 1, "B": 1}, "only once"),
    (Method.SCORE, None, {"A": 6, "B": 0, "C": 1}, "between 0 and 5"),
    (Method.SCORE, None, {"A": 5, "B": 0}, "every option"),
])
def test_bad_ballots_are_refused_and_nothing_is_written(vworld, make_vote, method, answer, marks, match):
    vote = make_vote(method=method, choices=("A", "B", "C"), max_choices=2)
    by_label = {c.label: c.id for c in vote.choices}
    if isinstance(marks, str):
        marks = {by_label[label]: 1 for label in marks}
    elif method is not Method.YES_NO:
        marks = {by_label[label]: value for label, value in marks.items()}
    _refused(vote, vworld.resident, answer=answer, marks=marks, match=match)


def test_a_choice_of_another_vote_is_refused(vworld, make_vote):
    vote = make_vote(method=Method.SINGLE)
    other = make_vote(method=Method.SINGLE, title="另一个")
    _refused(vote, vworld.resident, marks={other.choices[0].id: 1}, match="does not belong")


def test_ineligible_members_and_another_households_elector_are_refused(vworld, make_vote):
    vote = make_vote()  # owners only: 王叔叔 (family) is not a caster
    h701 = _elector(vote, vworld.resident)
    for user in (vworld.family, vworld.neighbour, vworld.outsider, vworld.committee):
        _refused(vote, user, elector_id=h701.id, answer=Answer.FOR, match="not in this vote's electorate")
    other_vote = make_vote(title="另一个")
    _refused(vote, vworld.resident, elector_id=_elector(other_vote, vworld.resident).id, answer=Answer.FOR,
             match="not in this vote's electorate")


def test_before_opening_and_after_close_raise_vote_not_open(vworld, make_vote):
    now = utcnow()
    vote = make_vote()
    elector_id = _elector(vote, vworld.resident).id
    closed = _refused(vote, vworld.resident, elector_id=elector_id, answer=Answer.FOR,
                      now=vote.closes_at, match="Voting has closed")
    assert isinstance(closed, casting.VoteNotOpen)
    early = _refused(vote, vworld.resident, elector_id=elector_id, answer=Answer.FOR,
                     now=vote.opens_at - timedelta(seconds=1), match="not opened yet")
    assert isinstance(early, casting.VoteNotOpen)
    scheduled = make_vote(title="later", opens_at=now + timedelta(hours=1))
    assert scheduled.state is State.SCHEDULED
    with force_locale("en"), pytest.raises(casting.VoteNotOpen, match="not opened yet"):
        casting.cast(scheduled.id, elector_id=elector_id, actor=vworld.resident, answer=Answer.FOR, marks={},
                     now=now)


def test_online_cast_over_a_paper_ballot_is_recorded_and_audited(vworld, make_vote):
    vote = make_vote()
    elector = _elector(vote, vworld.resident)
    slip = PaperSlip(photo_name="p.jpg", phone_name="p-phone.jpg", desktop_name="p-desk.jpg",
                     entered_by_id=vworld.leader.id, entered_at=utcnow())
    paper = casting.cast(vote.id, elector_id=elector.id, actor=vworld.leader, answer=Answer.AGAINST, marks={},
                         now=utcnow(), channel=Channel.PAPER, slip=slip)
    db.session.commit()
    assert paper.channel is Channel.PAPER and paper.slip_id == slip.id and slip.elector_id == elector.id
    status = casting.household_status(vote, elector)
    assert status.is_paper and status.entered_by == "赵阿姨 · 7号楼" and status.receipt is None
    online = casting.cast(vote.id, elector_id=elector.id, actor=vworld.resident, answer=Answer.FOR, marks={},
                          now=utcnow())
    db.session.commit()
    assert online.channel is Channel.ONLINE and online.slip_id is None
    records = db.session.query(BallotRecord).filter_by(vote_id=vote.id).order_by(BallotRecord.id).all()
    assert [r.overrides_paper for r in records] == [False, True]
    assert db.session.query(AuditEvent).filter_by(action="vote.paper_overridden").count() == 1
    status = casting.household_status(vote, elector, with_receipt=True)
    assert status.cast_by == "王阿姨 · 7号楼" and status.receipt == online.receipt


def test_a_refused_paper_ballot_leaves_no_slip(vworld, make_vote):
    vote = make_vote()
    slip = PaperSlip(photo_name="p.jpg", phone_name="p.jpg", desktop_name="p.jpg", entered_by_id=vworld.leader.id)
    with pytest.raises(RuleViolation):
        casting.cast(vote.id, elector_id=_elector(vote, vworld.resident).id, actor=vworld.leader, answer=None,
                     marks={}, now=utcnow(), channel=Channel.PAPER, slip=slip)
    db.session.rollback()
    assert db.session.query(PaperSlip).count() == 0


def test_status_hides_the_choice_on_secret_votes_only(vworld, make_vote):
    from civic.voting.models import Secrecy
    secret, named = make_vote(), make_vote(title="named", secrecy=Secrecy.NAMED)
    for vote in (secret, named):
        casting.cast(vote.id, elector_id=_elector(vote, vworld.resident).id, actor=vworld.resident,
                     answer=Answer.FOR, marks={}, now=utcnow())
    db.session.commit()
    assert casting.household_status(secret, _elector(secret, vworld.resident)).answer is None
    assert casting.household_status(named, _elector(named, vworld.resident)).answer == "for"
    assert casting.household_status(secret, db.session.query(Elector).filter_by(
        vote_id=secret.id, household_id=vworld.h702.id).one()) is None


def test_receipts_normalise_what_people_type():
    assert casting.normalise_receipt(" abcd-efgh jk ") == "ABCDEFGHJK"
