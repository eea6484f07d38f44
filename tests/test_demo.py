"""The demo data: a realistic community and a second one, idempotent, logins printed."""
from civic.community.models import Building, Community, Household, Membership, RoleGrant
from civic.demo import DEMO_PASSWORD
from civic.extensions import db
from tests.conftest import login


def _households(slug):
    return db.session.scalar(db.select(db.func.count()).select_from(Household).join(Building).join(Community)
                             .where(Community.slug == slug))


def test_seed_demo_builds_the_communities_and_is_idempotent(runner, app):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "admin" in result.output and DEMO_PASSWORD in result.output
    assert _households("anqiu") >= 1700
    assert 1 <= _households("hongye") < 100
    areas = db.session.execute(db.select(db.func.min(Household.area_m2), db.func.max(Household.area_m2))).one()
    assert areas[0] >= 50 and areas[1] <= 180
    counts = [db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (Household, Membership, RoleGrant)]
    assert counts[1] >= 55
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert [db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (Household, Membership, RoleGrant)] == counts


def test_demo_logins_work_and_communities_are_isolated(runner, client):
    runner.invoke(args=["seed-demo"])
    assert login(client, "jumin01", DEMO_PASSWORD).status_code == 303
    assert client.get("/c/anqiu/").status_code == 200
    assert client.get("/c/hongye/").status_code == 404


def test_demo_has_proposals_threads_and_projects_written_through_the_services(runner, app):
    from civic.projects.models import Project, Stage
    from civic.proposals.models import Proposal, ProposalStatus, Second
    from civic.threads.models import Comment

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
    proposals, comments, seconds = count(Proposal), count(Comment), count(Second)
    assert proposals >= 8 and comments >= 300 and seconds >= 50
    statuses = set(db.session.execute(db.select(Proposal.status)).scalars())
    assert {ProposalStatus.OPEN, ProposalStatus.ACCEPTED, ProposalStatus.MERGED, ProposalStatus.DECLINED,
            ProposalStatus.DRAFT} <= statuses
    stages = set(db.session.execute(db.select(Project.stage)).scalars())
    assert {Stage.DELIBERATING, Stage.VOTING, Stage.PUBLICITY} <= stages  # the votes moved the designed ones on
    # The denormalised counters agree with the rows the services wrote.
    assert db.session.scalar(db.select(db.func.sum(Proposal.second_count))) == seconds
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert (count(Proposal), count(Comment), count(Second)) == (proposals, comments, seconds)


def test_demo_has_meetings_of_every_kind_with_minutes_and_a_time_poll(runner, app):
    from civic.clock import utcnow
    from civic.meetings.models import (ActionItem, ActionStatus, Attendance, Meeting, MeetingKind, MeetingSeries,
                                       MeetingStatus, MinutesVersion, PollAnswer, PollSlot, Rsvp, RsvpStatus)

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    count = lambda model: db.session.scalar(db.select(db.func.count()).select_from(model))  # noqa: E731
    meetings = db.session.execute(db.select(Meeting)).scalars().all()
    assert {m.kind for m in meetings} == set(MeetingKind)
    reception = [m for m in meetings if m.kind is MeetingKind.RECEPTION]
    assert len(reception) == 7 and all(m.series_id for m in reception) and count(MeetingSeries) == 1
    assert sum(m.ends_at < utcnow() for m in reception) == 1  # one past occurrence, six to come
    published = [m for m in meetings if m.minutes_published_at]
    assert len(published) == 1 and published[0].kind is MeetingKind.DELIBERATION
    version = db.session.execute(db.select(MinutesVersion)).scalar_one()
    assert version.number == 1 and version.decisions and "<strong>112 辆</strong>" in version.body_html
    assert {a.status for a in db.session.execute(db.select(ActionItem)).scalars()} >= {
        ActionStatus.DONE, ActionStatus.IN_PROGRESS, ActionStatus.PLANNED}
    polling = [m for m in meetings if m.status is MeetingStatus.POLLING]
    assert len(polling) == 1 and count(PollSlot) == 4 and count(PollAnswer) >= 12
    for meeting in meetings:  # the denormalised counter agrees with the rows
        going = db.session.scalar(db.select(db.func.count()).select_from(Rsvp).where(
            Rsvp.meeting_id == meeting.id, Rsvp.status == RsvpStatus.GOING))
        assert meeting.going_count == going
    totals = (count(Meeting), count(Rsvp), count(Attendance), count(PollAnswer), count(ActionItem))
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert (count(Meeting), count(Rsvp), count(Attendance), count(PollAnswer), count(ActionItem)) == totals


def test_demo_meeting_pages_render(runner, client):
    from civic.meetings.models import Meeting

    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert login(client, "jumin07", DEMO_PASSWORD).status_code == 303
    ids = db.session.execute(db.select(Meeting.id)).scalars().all()
    for path in ["/c/anqiu/meetings", "/c/anqiu/meetings?when=past", "/c/anqiu/meetings/month", "/c/anqiu/",
                 *[f"/c/anqiu/meetings/{i}" for i in ids], *[f"/c/anqiu/meetings/{i}/print" for i in ids]]:
        assert client.get(path).status_code == 200, path
