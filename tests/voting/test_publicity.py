"""The publicity period: objections filed and answered, `is_settled`, and the gate on the project's move to 实施."""
from __future__ import annotations

from datetime import timedelta

import pytest
from flask_babel import force_locale

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.notices.models import NoticeKind, Notification
from civic.projects.models import ProjectEvent, Stage
from civic.projects.services import move_stage
from civic.voting import closing, publicity, signoff
from civic.voting.models import Answer, Preset, SignAction
from tests.voting.closing_support import cast_for, standing


@pytest.fixture
def published(vworld, make_vote):
    """A passing simple-majority vote, closed and published now with a 7-day publicity period."""
    def make(publicity_days: int = 7, answer: Answer = Answer.FOR):
        vote = make_vote(preset=Preset.SIMPLE_MAJORITY, publicity_days=publicity_days, signoffs_required=1)
        cast_for(vote, vworld.resident, answer)
        closing.close(vote.id, actor=vworld.committee, now=utcnow())
        signoff.sign(vote, SignAction.PUBLISH, actor=vworld.committee, standing=standing(vworld.committee, vote),
                     now=utcnow())
        db.session.commit()
        return vote
    return make


def _file(vote, user, body="东侧离我家窗户太近，夏天有味道。", now=None):  # noqa: ANN001, ANN202
    objection = publicity.file_objection(vote, actor=user, standing=standing(user, vote), body=body,
                                         now=now or utcnow())
    db.session.commit()
    return objection


def test_objection_lifecycle(vworld, published):
    vote = published()
    now = utcnow()
    assert not publicity.is_settled(vote, now)  # the period runs
    objection = _file(vote, vworld.neighbour, body="**太近**了 <script>x</script>")
    assert "<strong>太近</strong>" in objection.body_html and "<script" not in objection.body_html
    assert db.session.query(ProjectEvent).filter_by(kind="vote_objection").count() == 1
    assert db.session.query(AuditEvent).filter_by(action="vote.objection").count() == 1

    assert publicity.answer(objection, actor=vworld.committee, body="已与设计师沟通，入口改到北侧。", now=now) is True
    db.session.commit()
    notes = db.session.query(Notification).filter_by(kind=NoticeKind.OBJECTION_ANSWERED).all()
    assert [(n.user_id, n.vote_id) for n in notes] == [(vworld.neighbour.id, vote.id)]
    assert db.session.query(ProjectEvent).filter_by(kind="vote_objection_answered").count() == 1

    # a corrected answer: the text changes, the old one is kept in the audit log, nobody is notified twice
    assert publicity.answer(objection, actor=vworld.owners_committee, body="入口改到北侧，下周公示新图。", now=now) is False
    db.session.commit()
    assert objection.answer_md.startswith("入口改到北侧") and objection.answered_by_id == vworld.owners_committee.id
    edit = db.session.query(AuditEvent).filter_by(action="vote.objection_answer_edit").one()
    assert edit.detail["previous"].startswith("已与设计师沟通")
    assert db.session.query(Notification).filter_by(kind=NoticeKind.OBJECTION_ANSWERED).count() == 1
    assert publicity.is_settled(vote, vote.publicity_ends_at)


def test_objections_are_refused_outside_the_period_and_when_too_short_or_long(vworld, published):
    vote = published()
    for body in ("", "短"[:1], "长" * 2001):
        with pytest.raises(RuleViolation) as refused:
            _file(vote, vworld.neighbour, body=body)
        assert refused.value.field == "body"
        db.session.rollback()
    with pytest.raises(RuleViolation):
        _file(vote, vworld.neighbour, now=vote.publicity_ends_at)
    db.session.rollback()
    with pytest.raises(RuleViolation):
        _file(vote, vworld.outsider)
    db.session.rollback()
    assert db.session.query(ProjectEvent).filter_by(kind="vote_objection").count() == 0


def test_a_failed_result_has_no_publicity_period(vworld, published):
    vote = published(answer=Answer.AGAINST)
    assert vote.publicity_ends_at is None and publicity.is_settled(vote, utcnow())
    with pytest.raises(RuleViolation):
        _file(vote, vworld.neighbour)


def test_the_project_waits_in_publicity_for_the_period_and_every_answer(vworld, published):
    vote = published()
    project = vworld.project
    project.stage = Stage.PUBLICITY
    db.session.commit()
    objection = _file(vote, vworld.neighbour)
    _file(vote, vworld.teacher)
    with force_locale("en"), pytest.raises(RuleViolation) as refused:
        move_stage(project, Stage.IMPLEMENTING, "开始施工", vworld.committee, utcnow())
    assert "The publicity period runs until" in refused.value.message
    assert "2 objections have not been answered yet." in refused.value.message
    db.session.rollback()

    after = vote.publicity_ends_at + timedelta(minutes=1)
    with force_locale("en"), pytest.raises(RuleViolation) as refused:
        move_stage(project, Stage.IMPLEMENTING, "开始施工", vworld.committee, after)
    assert refused.value.message == "2 objections have not been answered yet."
    db.session.rollback()

    for o in publicity.objections_of(vote):
        publicity.answer(o, actor=vworld.committee, body="已答复。", now=after)
    db.session.commit()
    assert objection.answered_at is not None
    move_stage(project, Stage.IMPLEMENTING, "开始施工", vworld.committee, after)
    db.session.commit()
    assert project.stage is Stage.IMPLEMENTING


def test_other_moves_out_of_publicity_are_not_held(vworld, published):
    published()
    vworld.project.stage = Stage.PUBLICITY
    db.session.commit()
    move_stage(vworld.project, Stage.VOTING, "需要重新表决", vworld.committee, utcnow())  # back one step: allowed
    assert vworld.project.stage is Stage.VOTING
