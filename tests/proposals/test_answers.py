"""The committee's official answer: accept (new or existing project), merge, decline; notices, timeline, audit."""
import pytest

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.extensions import db
from civic.notices.models import NoticeKind, Notification
from civic.projects.models import Project, ProjectEvent, Stage
from civic.projects.services import create_project
from civic.proposals.models import AnswerKind, Proposal, ProposalStatus


def url(world, p, tail=""):
    return f"/c/{world.community.slug}/proposals/{p.id}{tail}"


def answer_notices():
    return sorted(db.session.execute(
        db.select(Notification.user_id).where(Notification.kind == NoticeKind.ANSWER)).scalars())


@pytest.fixture
def seconded(en, login_as, world, make_proposal):
    """A proposal by the author, seconded by the neighbour's household; the committee member signed in."""
    p = make_proposal()
    login_as(world.neighbour)
    en.post(url(world, p, "/second"))
    en.post("/logout")
    login_as(world.committee)
    return p


def test_accept_into_a_new_project(en, world, seconded):
    response = en.post(url(world, seconded, "/answer"), data={"kind": "accept_new", "answer": "同意，**列入**议事。"})
    assert response.status_code == 303
    p = db.session.get(Proposal, seconded.id)
    project = db.session.execute(db.select(Project)).scalar_one()
    assert p.status is ProposalStatus.ACCEPTED and p.answer_kind is AnswerKind.ACCEPT and p.project_id == project.id
    assert (project.title, project.category, [b.id for b in project.buildings]) == (p.title, p.category, [world.b7.id])
    assert p.answered_by_id == world.committee.id and "<strong>列入</strong>" in p.answer_html
    kinds = db.session.execute(db.select(ProjectEvent.kind, ProjectEvent.detail).order_by(ProjectEvent.id)).all()
    assert [k for k, _ in kinds] == ["created", "proposal_accepted"]
    assert kinds[1][1] == {"proposal_id": p.id, "title": p.title}
    audit = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "proposal.answer")).scalar_one()
    assert audit.target == f"proposal:{p.id}" and audit.detail["kind"] == "accept"
    # The author and every member of the seconding household; not the committee member who answered.
    assert answer_notices() == sorted([world.author.id, world.neighbour.id])
    page = en.get(url(world, p)).get_data(as_text=True)
    assert page.index("Official answer") < page.index("<h1>")
    assert f"/projects/{project.id}" in page and "陈书记" in page


def test_accept_into_an_existing_project(en, world, seconded):
    project = create_project(world.community, title="垃圾厢房改造", description_md="", category=seconded.category,
                             buildings=[], actor=world.committee, now=utcnow())
    db.session.commit()
    response = en.post(url(world, seconded, "/answer"),
                       data={"kind": "accept_existing", "project": str(project.id), "answer": "并入已有项目。"})
    assert response.status_code == 303
    p = db.session.get(Proposal, seconded.id)
    assert p.project_id == project.id and len(db.session.execute(db.select(Project)).all()) == 1
    events = db.session.execute(db.select(ProjectEvent.kind).where(ProjectEvent.project_id == project.id)).scalars().all()
    assert "proposal_accepted" in events


def test_a_done_or_shelved_project_is_refused(en, world, seconded):
    project = create_project(world.community, title="旧项目", description_md="", category=seconded.category,
                             buildings=[], actor=world.committee, now=utcnow())
    project.stage = Stage.DONE
    db.session.commit()
    response = en.post(url(world, seconded, "/answer"),
                       data={"kind": "accept_existing", "project": str(project.id), "answer": "并入。"})
    assert response.status_code == 422 and "并入。" in response.get_data(as_text=True)
    assert db.session.get(Proposal, seconded.id).status is ProposalStatus.OPEN


def test_merge_points_the_duplicate_to_its_target(en, world, seconded, make_proposal):
    target = make_proposal(world.far_neighbour, title="垃圾房要封闭", household_id=world.far_home.id)
    response = en.post(url(world, seconded, "/answer"),
                       data={"kind": "merge", "merge_into": str(target.id), "answer": "与另一条重复。"})
    assert response.status_code == 303
    p = db.session.get(Proposal, seconded.id)
    assert p.status is ProposalStatus.MERGED and p.merged_into_id == target.id
    page = en.get(url(world, p)).get_data(as_text=True)
    assert "This proposal repeats another one" in page and f"/proposals/{target.id}" in page and "垃圾房要封闭" in page
    assert answer_notices() == sorted([world.author.id, world.neighbour.id])


def test_merge_into_an_accepted_proposal_adds_to_its_projects_timeline(en, world, seconded, make_proposal):
    target = make_proposal(world.far_neighbour, title="另一条", household_id=world.far_home.id)
    en.post(url(world, target, "/answer"), data={"kind": "accept_new", "answer": "立项。"})
    en.post(url(world, seconded, "/answer"), data={"kind": "merge", "merge_into": str(target.id), "answer": "重复。"})
    kinds = db.session.execute(db.select(ProjectEvent.kind).order_by(ProjectEvent.id)).scalars().all()
    assert kinds == ["created", "proposal_accepted", "proposal_merged"]


@pytest.mark.parametrize("target_of", ["self", "withdrawn", "foreign"])
def test_bad_merge_targets_are_refused(en, world, seconded, make_proposal, target_of):
    if target_of == "self":
        target_id = seconded.id
    elif target_of == "withdrawn":
        other = make_proposal(world.far_neighbour, household_id=world.far_home.id)
        other.status = ProposalStatus.WITHDRAWN
        db.session.commit()
        target_id = other.id
    else:
        target_id = make_proposal(world.outsider, community=world.other_community, buildings=[]).id
    response = en.post(url(world, seconded, "/answer"), data={"kind": "merge", "merge_into": str(target_id),
                                                              "answer": "重复。"})
    assert response.status_code == 422 and "重复。" in response.get_data(as_text=True)
    assert db.session.get(Proposal, seconded.id).status is ProposalStatus.OPEN


def test_merge_service_refuses_a_chain_back_to_itself(app, world, make_proposal):
    from civic.errors import RuleViolation
    from civic.proposals import answers

    a, b = make_proposal(title="A"), make_proposal(title="B")
    b.merged_into_id = a.id  # as if B were merged into A while keeping a status a target may have
    db.session.commit()
    with pytest.raises(RuleViolation):
        answers.merge(a, b, "循环", actor=world.committee, now=utcnow())


def test_decline_shows_the_written_answer(en, world, seconded):
    response = en.post(url(world, seconded, "/answer"), data={"kind": "decline", "answer": "经费不足，暂不考虑。"})
    assert response.status_code == 303
    p = db.session.get(Proposal, seconded.id)
    assert p.status is ProposalStatus.DECLINED and p.answer_kind is AnswerKind.DECLINE
    page = en.get(url(world, p)).get_data(as_text=True)
    assert "Declined" in page and "经费不足，暂不考虑。" in page
    assert "Give the committee's official answer" not in page  # answered once
    assert en.post(url(world, p, "/answer"), data={"kind": "decline", "answer": "再答"}).status_code == 403


def test_answer_needs_text_and_kind(en, world, seconded):
    response = en.post(url(world, seconded, "/answer"), data={"kind": "decline", "answer": "  "})
    assert response.status_code == 422 and "Write the answer" in response.get_data(as_text=True)
    response = en.post(url(world, seconded, "/answer"), data={"answer": "有文字"})
    assert response.status_code == 422 and "有文字" in response.get_data(as_text=True)
    assert db.session.get(Proposal, seconded.id).status is ProposalStatus.OPEN
    assert answer_notices() == []


def test_residents_get_403(client, login_as, world, make_proposal):
    p = make_proposal()
    for user in (world.author, world.neighbour):
        login_as(user)
        assert client.post(url(world, p, "/answer"), data={"kind": "decline", "answer": "不行"}).status_code == 403
        assert "Give the committee" not in client.get(url(world, p)).get_data(as_text=True)
        client.post("/logout")
    assert db.session.get(Proposal, p.id).status is ProposalStatus.OPEN


def test_a_second_answer_racing_the_first_is_refused(app, world, make_proposal):
    from civic.errors import RuleViolation
    from civic.proposals import answers

    p = make_proposal()
    # Another committee member's answer lands between this one's page load and its submit.
    db.session.execute(db.update(Proposal).where(Proposal.id == p.id).values(status=ProposalStatus.DECLINED)
                       .execution_options(synchronize_session=False))
    assert p.status is ProposalStatus.OPEN  # this request still holds the stale state
    with pytest.raises(RuleViolation):
        answers.accept_into_new_project(p, "立项。", actor=world.committee, now=utcnow())
    db.session.rollback()
    assert db.session.execute(db.select(Project)).first() is None
