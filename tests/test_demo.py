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
    assert {Stage.DELIBERATING, Stage.DESIGNING} <= stages
    # The denormalised counters agree with the rows the services wrote.
    assert db.session.scalar(db.select(db.func.sum(Proposal.second_count))) == seconds
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert (count(Proposal), count(Comment), count(Second)) == (proposals, comments, seconds)
