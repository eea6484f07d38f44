"""Project services: moving stages (audit, timeline, notifications, refusals) and editing."""
from datetime import datetime

import pytest

from civic.audit.models import AuditEvent
from civic.errors import RuleViolation
from civic.extensions import db
from civic.notices.models import NoticeKind, Notification
from civic.projects import services
from civic.projects.labels import category_label, event_sentence, stage_label
from civic.projects.models import Category, ProjectEvent, Stage

NOW = datetime(2026, 5, 1, 8, 30)


def _events(project, kind):
    return db.session.execute(db.select(ProjectEvent).where(ProjectEvent.project_id == project.id,
                                                            ProjectEvent.kind == kind)).scalars().all()


def _notified(project):
    rows = db.session.execute(db.select(Notification).where(Notification.project_id == project.id)).scalars()
    return {n.user_id: n for n in rows}


def test_move_stage_sets_stage_timeline_and_audit(make_project, place):
    project = make_project()
    services.move_stage(project, Stage.DELIBERATING, "  居民意见集中，进入议事  ", place["committee"], NOW)
    db.session.commit()
    db.session.refresh(project)
    assert project.stage is Stage.DELIBERATING and project.stage_changed_at == NOW
    assert project.last_activity_at == NOW
    [event] = _events(project, "stage_moved")
    assert event.detail == {"from": "raised", "to": "deliberating", "reason": "居民意见集中，进入议事"}
    assert event.actor_id == place["committee"].id and event.created_at == NOW
    [audit] = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "project.stage")).scalars()
    assert audit.target == f"project:{project.id}" and audit.actor_id == place["committee"].id
    assert audit.detail["to"] == "deliberating" and audit.detail["reason"] == "居民意见集中，进入议事"


def test_move_stage_notifies_authors_and_seconding_households_but_not_the_actor(
        make_project, make_proposal, make_member, place):
    project = make_project()
    seconder_home = place["home"]  # the committee member's own household seconds too
    housemate = make_member(seconder_home, display_name="陈家人")
    make_proposal(project, author=place["resident"], seconds=[(seconder_home, housemate)])
    bystander = make_member()
    make_proposal(None, author=bystander)  # a proposal outside this project
    services.move_stage(project, Stage.SHELVED, "资金未落实", place["committee"], NOW)
    db.session.commit()
    notified = _notified(project)
    # The author, and every member of a seconding household except the committee member who moved it.
    assert set(notified) == {place["resident"].id, housemate.id}
    assert place["committee"].id not in notified and bystander.id not in notified
    assert place["spouse"].id not in notified  # the author's household did not second
    notice = notified[place["resident"].id]
    assert notice.kind is NoticeKind.STAGE and notice.summary == project.title
    assert notice.actor_id == place["committee"].id and notice.community_id == place["community"].id


def test_move_without_supporters_notifies_nobody(make_project, place):
    project = make_project()
    services.move_stage(project, Stage.DELIBERATING, "开始议事", place["committee"], NOW)
    db.session.commit()
    assert _notified(project) == {}


@pytest.mark.parametrize("reason", ["", "  ", "好", "x" * 201])
def test_reason_is_required_and_bounded(make_project, place, reason):
    project = make_project()
    with pytest.raises(RuleViolation) as caught:
        services.move_stage(project, Stage.DELIBERATING, reason, place["committee"], NOW)
    assert caught.value.field == "reason"
    db.session.rollback()
    assert _events(project, "stage_moved") == [] and project.stage is Stage.RAISED


@pytest.mark.parametrize("start, to", [(Stage.RAISED, Stage.VOTING), (Stage.RAISED, Stage.DONE),
                                       (Stage.SHELVED, Stage.VOTING), (Stage.RAISED, Stage.RAISED)])
def test_disallowed_move_is_refused(make_project, place, start, to):
    project = make_project()
    project.stage = start
    db.session.commit()
    with pytest.raises(RuleViolation) as caught:
        services.move_stage(project, to, "理由充分", place["committee"], NOW)
    assert caught.value.field == "to"
    db.session.rollback()
    assert project.stage is start and _events(project, "stage_moved") == []
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "project.stage")) == 0


def test_done_project_cannot_move(make_project, place):
    project = make_project()
    project.stage = Stage.DONE
    db.session.commit()
    for to in Stage:
        with pytest.raises(RuleViolation):
            services.move_stage(project, to, "重新开始", place["committee"], NOW)
        db.session.rollback()


def test_a_concurrent_move_loses_cleanly(make_project, place):
    """The stage in the session is stale (someone else moved it): the conditional update refuses."""
    project = make_project()
    db.session.execute(db.update(type(project)).where(type(project).id == project.id)
                       .values(stage=Stage.SHELVED).execution_options(synchronize_session=False))
    with pytest.raises(RuleViolation) as caught:
        services.move_stage(project, Stage.DELIBERATING, "并发", place["committee"], NOW)
    assert caught.value.field == "to"


def test_edit_project_is_audited_timelined_and_sanitised(make_project, place):
    project = make_project()
    changed = services.edit_project(project, title=" 一米会客厅 ", description_md="<script>x</script>**大堂**",
                                    category=Category.COMMON_SPACE, buildings=place["buildings"],
                                    actor=place["committee"], now=NOW)
    db.session.commit()
    assert changed
    assert project.title == "一米会客厅" and project.category is Category.COMMON_SPACE
    assert "<script>" not in project.description_html and "<strong>大堂</strong>" in project.description_html
    assert {b.id for b in project.buildings} == {b.id for b in place["buildings"]}
    [event] = _events(project, "edited")
    assert event.detail == {"fields": ["title", "description", "category", "buildings"]}
    audit = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "project.edit")).scalar_one()
    assert audit.detail["fields"] == ["title", "description", "category", "buildings"]


def test_edit_without_changes_records_nothing(make_project, place):
    project = make_project()
    changed = services.edit_project(project, title=project.title, description_md=project.description_md,
                                    category=project.category, buildings=list(project.buildings),
                                    actor=place["committee"], now=NOW)
    assert not changed and _events(project, "edited") == []


def test_labels_in_english_and_chinese(app):
    with app.test_request_context(headers={"Cookie": "civic_lang=en"}):
        assert stage_label(Stage.SHELVED) == "Shelved" and stage_label("done") == "Done"
        assert category_label(Category.ELEVATOR) == "Elevator" and category_label("nonsense") == "nonsense"
        assert event_sentence("stage_moved", {"from": "raised", "to": "deliberating"}, "王阿姨 · 7号楼") == \
            "王阿姨 · 7号楼 moved the project from Raised to Deliberating."
        assert event_sentence("vote_opened", {}, None) == "Someone: vote opened"
