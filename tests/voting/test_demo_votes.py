"""The demo's three votes: states, the garbage vote's Art. 278 split, recounts, idempotent seeding, pages render."""
from datetime import timedelta
from fractions import Fraction

from sqlalchemy import func, select

from civic.accounts.models import User
from civic.clock import utcnow
from civic.demo import DEMO_PASSWORD
from civic.extensions import db
from civic.projects.models import Project, Stage
from civic.voting import tally
from civic.voting.models import (Ballot, BallotRecord, Channel, Elector, ExpertCriterion, ExpertScore, Method,
                                 Objection, PaperSlip, SignAction, SignOff, State, Vote)
from tests.conftest import login

COUNTED = (Vote, Elector, Ballot, BallotRecord, PaperSlip, SignOff, ExpertScore, Objection)


def _counts() -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in COUNTED)


def _votes() -> dict[str, Vote]:
    by_title = {v.title: v for v in db.session.execute(select(Vote)).scalars()}
    pick = lambda word: next(v for t, v in by_title.items() if word in t)  # noqa: E731
    return {"garbage": pick("垃圾厢房"), "shed": pick("电瓶车棚"), "lounge": pick("会客厅")}


def _figures(vote: Vote) -> tuple[int, Fraction, int, Fraction]:
    """Independent arithmetic from the rows: electorate and participation, heads and exact areas."""
    eligible = db.session.execute(select(func.count(), func.sum(Elector.area_m2))
                                  .where(Elector.vote_id == vote.id)).one()
    taking_part = db.session.execute(select(func.count(), func.sum(Ballot.area_m2))
                                     .where(Ballot.vote_id == vote.id)).one()
    return eligible[0], Fraction(eligible[1]), taking_part[0], Fraction(taking_part[1])


def _check_garbage(vote: Vote) -> None:
    assert vote.state is State.PUBLISHED and vote.publicity_ends_at is None  # a failing result has no 公示
    assert vote.method is Method.SINGLE and [c.option_id is not None for c in vote.choices] == [True, True]
    result = tally.stored(vote)
    checks = {c.key: c.passed for c in result.verdict.checks}
    assert not result.verdict.passed
    assert checks == {"participation_area": False, "participation_head": True, "approval_area": True,
                      "approval_head": True}
    heads, area, part_heads, part_area = _figures(vote)
    assert Fraction(part_heads, heads) >= Fraction(2, 3) > part_area / area  # passes by head, fails on area
    assert vote.counted_ballots == part_heads
    channels = dict(db.session.execute(select(Ballot.channel, func.count()).where(Ballot.vote_id == vote.id)
                                       .group_by(Ballot.channel)).all())
    assert channels[Channel.PAPER] >= 5 and channels[Channel.ONLINE] >= 50
    assert db.session.scalar(select(func.count()).select_from(PaperSlip).where(
        PaperSlip.vote_id == vote.id)) == channels[Channel.PAPER]
    signed = db.session.execute(select(SignOff.action, func.count()).where(SignOff.vote_id == vote.id)
                                .group_by(SignOff.action)).all()
    assert dict(signed) == {SignAction.CLOSE: 2, SignAction.PUBLISH: 2}
    assert vote.closed_by_id is not None and vote.closed_at < vote.closes_at  # closed early by the sign-off
    assert tally.recount(vote.id).matches


def _check_shed(vote: Vote) -> None:
    assert vote.state is State.OPEN and vote.closes_at > utcnow() + timedelta(days=3)
    assert len(vote.choices) == 3 and all(c.option_id for c in vote.choices)
    assert vote.expert_weight_percent == 40 and vote.results_live
    assert [(c.name, c.weight_percent) for c in db.session.execute(
        select(ExpertCriterion).where(ExpertCriterion.vote_id == vote.id).order_by(ExpertCriterion.position)
    ).scalars()] == [("安全", 30), ("造价", 30), ("消防", 20), ("维护", 20)]
    experts = db.session.scalar(select(func.count(func.distinct(ExpertScore.expert_id))).where(
        ExpertScore.vote_id == vote.id))
    assert experts == 2
    heads, _area, part_heads, _part_area = _figures(vote)
    assert 10 <= part_heads < heads


def _check_lounge(vote: Vote) -> None:
    assert vote.state is State.PUBLISHED and vote.method is Method.YES_NO
    assert vote.publicity_ends_at > utcnow()
    result = tally.stored(vote)
    assert result.verdict.passed and all(c.passed for c in result.verdict.checks)
    assert tally.recount(vote.id).matches
    objection = db.session.execute(select(Objection).where(Objection.vote_id == vote.id)).scalar_one()
    assert objection.answered_at is not None and objection.answer_html
    assert db.session.get(Project, vote.project_id).stage is Stage.PUBLICITY


def test_demo_votes_are_seeded_once_with_the_right_states_and_results(make_app, tmp_path):
    app = make_app(UPLOAD_DIR=str(tmp_path))
    with app.app_context():
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        votes = _votes()
        _check_garbage(votes["garbage"])
        _check_shed(votes["shed"])
        _check_lounge(votes["lounge"])
        assert db.session.get(Project, votes["garbage"].project_id).stage is Stage.VOTING  # a second round to come
        before = _counts()
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        assert _counts() == before
        client = app.test_client()
        client.set_cookie("civic_lang", "en")
        assert login(client, "louzu4", DEMO_PASSWORD).status_code == 303
        for vote in votes.values():
            for path in ("", "/results", "/turnout"):
                url = f"/c/anqiu/votes/{vote.id}{path}"
                assert client.get(url).status_code == 200, url
        page = client.get(f"/c/anqiu/votes/{votes['garbage'].id}/results").get_data(as_text=True)
        assert 'data-key="participation_area"' in page
        slip = db.session.execute(select(PaperSlip).where(PaperSlip.vote_id == votes["garbage"].id)).scalars().first()
        photo = client.get(f"/c/anqiu/votes/{votes['garbage'].id}/slips/{slip.id}/photo")
        assert photo.status_code == 200 and photo.mimetype.startswith("image/")
        # A neighbour added for the votes signs in with the demo password and sees their household's ballot.
        voter = db.session.execute(select(User).join(Ballot, Ballot.cast_by_id == User.id).where(
            Ballot.vote_id == votes["garbage"].id, User.username.like("e%-%"))).scalars().first()
        neighbour = app.test_client()
        assert login(neighbour, voter.username, DEMO_PASSWORD).status_code == 303
        assert neighbour.get(f"/c/anqiu/votes/{votes['garbage'].id}").status_code == 200
