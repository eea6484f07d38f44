"""Joint sign-off: who may sign, one signature per carriage, 1/2/3 of 3, close early, publish only after the close."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from civic.clock import utcnow
from civic.community.models import Role
from civic.errors import RuleViolation
from civic.extensions import db
from civic.notices.models import NoticeKind, Notification
from civic.projects.models import ProjectEvent
from civic.voting import closing, signoff
from civic.voting.models import Answer, Preset, SignAction, SignOff, State
from tests.voting.closing_support import cast_for, standing

CLOSE, PUBLISH = SignAction.CLOSE, SignAction.PUBLISH


def _sign(vote, user, action=CLOSE, **kwargs) -> bool:  # noqa: ANN001
    done = signoff.sign(vote, action, actor=user, standing=standing(user, vote), now=kwargs.pop("now", utcnow()),
                        **kwargs)
    db.session.commit()
    return done


def test_two_of_three_carriages_close_the_vote_early(vworld, make_vote):
    vote = make_vote()
    cast_for(vote, vworld.resident)
    assert _sign(vote, vworld.committee) is False
    assert vote.state is State.OPEN
    assert _sign(vote, vworld.property_manager) is True
    assert vote.state is State.CLOSED and vote.closed_by_id == vworld.property_manager.id
    assert vote.counted_ballots == 1
    sigs = signoff.signatures(vote)[CLOSE]
    assert [(s.carriage, s.name) for s in sigs] == [(Role.RESIDENTS_COMMITTEE, "陈书记"),
                                                    (Role.PROPERTY_MANAGEMENT, "张经理")]
    # the third carriage comes too late: the vote is closed already, nothing is written
    with pytest.raises(signoff.Refused):
        _sign(vote, vworld.owners_committee)
    db.session.rollback()
    assert db.session.query(SignOff).filter_by(vote_id=vote.id).count() == 2


def test_the_same_carriage_cannot_sign_twice(vworld, make_vote, make_user, grant):
    vote = make_vote(signoffs_required=3)
    _sign(vote, vworld.committee, note="同意提前结束")
    with force_locale("en"), pytest.raises(signoff.Refused, match="has already signed"):
        _sign(vote, vworld.committee)  # a double click
    db.session.rollback()
    colleague = make_user(display_name="居委会小李")
    grant(colleague, vworld.community, Role.RESIDENTS_COMMITTEE)
    with force_locale("en"), pytest.raises(signoff.Refused, match="陈书记"):
        _sign(vote, colleague)  # a second member of the same carriage
    db.session.rollback()
    assert [s.note for s in signoff.signatures(vote)[CLOSE]] == ["同意提前结束"]


@pytest.mark.parametrize("required", [1, 3])
def test_the_number_of_signatures_is_configurable(vworld, make_vote, required):
    vote = make_vote(signoffs_required=required)
    signers = [vworld.committee, vworld.owners_committee, vworld.property_manager][:required]
    results = [_sign(vote, user) for user in signers]
    assert results == [False] * (required - 1) + [True]
    assert vote.state is State.CLOSED


def test_residents_leaders_and_experts_cannot_sign(vworld, make_vote):
    vote = make_vote()
    for user in (vworld.resident, vworld.leader, vworld.expert):
        with pytest.raises(RuleViolation):
            _sign(vote, user)
        db.session.rollback()
    assert db.session.query(SignOff).count() == 0


def test_a_member_of_two_carriages_signs_for_one_only(vworld, make_vote, grant):
    grant(vworld.committee, vworld.community, Role.OWNERS_COMMITTEE)
    vote = make_vote(signoffs_required=2)
    with pytest.raises(RuleViolation) as refused:
        _sign(vote, vworld.committee)
    assert refused.value.field == "carriage"
    db.session.rollback()
    with pytest.raises(RuleViolation):
        _sign(vote, vworld.committee, carriage=Role.PROPERTY_MANAGEMENT)  # not theirs
    db.session.rollback()
    assert _sign(vote, vworld.committee, carriage=Role.OWNERS_COMMITTEE) is False
    with pytest.raises(signoff.Refused):
        _sign(vote, vworld.committee, carriage=Role.RESIDENTS_COMMITTEE)  # the same person, the other hat
    db.session.rollback()
    assert vote.state is State.OPEN
    assert _sign(vote, vworld.property_manager) is True


def test_no_close_signature_after_the_deadline(vworld, make_vote):
    vote = make_vote()
    with pytest.raises(signoff.Refused):
        _sign(vote, vworld.committee, now=vote.closes_at + timedelta(minutes=1))
    db.session.rollback()


def test_publish_only_after_the_close_then_the_publicity_period_starts(vworld, make_vote):
    vote = make_vote(preset=Preset.SIMPLE_MAJORITY, publicity_days=7)
    cast_for(vote, vworld.resident, Answer.FOR)
    cast_for(vote, vworld.neighbour, Answer.FOR)
    with pytest.raises(signoff.Refused):
        _sign(vote, vworld.committee, PUBLISH)
    db.session.rollback()
    closing.close(vote.id, actor=vworld.committee, now=utcnow())
    db.session.commit()
    assert _sign(vote, vworld.committee, PUBLISH) is False
    now = utcnow()
    assert _sign(vote, vworld.owners_committee, PUBLISH, now=now) is True
    assert vote.state is State.PUBLISHED and vote.published_at == now
    assert vote.publicity_ends_at == now + timedelta(days=7)
    notified = set(db.session.execute(db.select(Notification.user_id).where(
        Notification.kind == NoticeKind.VOTE_RESULT, Notification.vote_id == vote.id)).scalars())
    assert notified == {vworld.teacher.id, vworld.resident.id, vworld.neighbour.id, vworld.leader.id}
    event = db.session.execute(db.select(ProjectEvent).where(ProjectEvent.kind == "vote_published")).scalar_one()
    # kept in the site's language (Chinese); "Passed" only until the lead merges this catalogue
    assert event.detail["passed"] is True and event.detail["verdict"] in ("通过", "Passed")
    with pytest.raises(signoff.Refused):
        _sign(vote, vworld.property_manager, PUBLISH)  # already published
    db.session.rollback()


def test_a_failed_result_is_published_without_a_publicity_period(vworld, make_vote):
    vote = make_vote(signoffs_required=1)  # Art. 278: one household of six does not make two thirds
    cast_for(vote, vworld.resident, Answer.FOR)
    _sign(vote, vworld.committee)
    assert _sign(vote, vworld.committee, PUBLISH) is True
    assert vote.state is State.PUBLISHED and vote.publicity_ends_at is None
