"""Paper ballots: who may enter them for which building, the slip photo, the household's online override."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask_babel import force_locale
from werkzeug.datastructures import FileStorage

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.community.rules import standing_of
from civic.errors import RuleViolation
from civic.extensions import db
from civic.notices.models import NoticeKind, Notification
from civic.voting import casting, paper
from civic.voting.casting import VoteNotOpen
from civic.voting.models import (Answer, Ballot, BallotRecord, Channel, Elector, Method, PaperSlip, Preset, State,
                                 Unit)
from civic.web.uploads import UploadRejected
from tests.security.test_hostile_uploads import png_bomb
from tests.voting.conftest import jpeg_bytes


def photo(data: bytes | None = None, name: str = "slip.jpg") -> FileStorage:
    return FileStorage(io.BytesIO(jpeg_bytes() if data is None else data), filename=name, content_type="image/jpeg")


def files(upload_dir) -> set[str]:
    return {p.name for p in upload_dir.iterdir()} if upload_dir.exists() else set()


def enter(vote, household, actor, **overrides):
    args = {"answer": Answer.FOR, "marks": {}, "photo": photo(), "now": utcnow()}
    args.update(overrides)
    return paper.enter(vote, household_id=household.id, actor=actor, standing=standing_of(actor, vote_community(vote)),
                       **args)


def vote_community(vote):
    from civic.community.models import Community
    return db.session.get(Community, vote.community_id)


def elector_of(vote, household) -> Elector:
    return db.session.execute(db.select(Elector).filter_by(vote_id=vote.id, household_id=household.id)).scalar_one()


@pytest.fixture
def english(app):
    with app.test_request_context(), force_locale("en"):
        yield


def test_a_leader_enters_a_paper_ballot_for_a_household_of_their_building(vworld, make_vote, upload_dir, english):
    vote = make_vote()
    ballot = enter(vote, vworld.h702, vworld.leader)
    db.session.commit()

    assert ballot.channel is Channel.PAPER and ballot.answer == "for" and ballot.cast_by_id == vworld.leader.id
    slip = db.session.get(PaperSlip, ballot.slip_id)
    assert slip.entered_by_id == vworld.leader.id and slip.building_id == vworld.b7.id
    assert slip.elector_id == elector_of(vote, vworld.h702).id
    assert {slip.photo_name, slip.phone_name} <= files(upload_dir)
    # the household's voter is told (not the leader herself)
    told = db.session.execute(db.select(Notification.user_id).filter_by(kind=NoticeKind.PAPER_BALLOT,
                                                                         vote_id=vote.id)).scalars().all()
    assert told == [vworld.neighbour.id]
    audit = db.session.execute(db.select(AuditEvent).filter_by(action="vote.paper_ballot")).scalar_one()
    assert audit.detail["household_id"] == vworld.h702.id and audit.detail["slip_id"] == slip.id
    # the household sees who entered it
    status = casting.household_status(vote, elector_of(vote, vworld.h702))
    assert status.is_paper and status.entered_by.startswith("赵阿姨")


def test_the_photo_is_stored_without_exif(vworld, make_vote, upload_dir, english):
    from PIL import Image

    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    Image.new("RGB", (64, 48), "red").save(buffer, "JPEG", exif=exif.tobytes())
    ballot = enter(make_vote(), vworld.h702, vworld.leader, photo=photo(buffer.getvalue()))
    db.session.commit()
    stored = Image.open(upload_dir / db.session.get(PaperSlip, ballot.slip_id).photo_name)
    assert not stored.getexif()


def nothing_written(vote, upload_dir, before: set[str]) -> None:
    db.session.rollback()
    assert db.session.query(Ballot).filter_by(vote_id=vote.id).count() == 0
    assert db.session.query(BallotRecord).filter_by(vote_id=vote.id).count() == 0
    assert db.session.query(PaperSlip).filter_by(vote_id=vote.id).count() == 0
    assert db.session.query(AuditEvent).filter_by(action="vote.paper_ballot").count() == 0
    assert files(upload_dir) == before


def test_a_leader_is_refused_for_another_building_and_nothing_is_written(vworld, make_vote, upload_dir, english):
    vote = make_vote()
    before = files(upload_dir)
    with pytest.raises(RuleViolation) as refused:
        enter(vote, vworld.h101, vworld.leader)
    assert "only for the buildings you lead" in refused.value.message
    nothing_written(vote, upload_dir, before)


def test_residents_and_other_committees_households_are_refused(vworld, make_vote, upload_dir, english):
    vote = make_vote()
    with pytest.raises(RuleViolation):
        enter(vote, vworld.h702, vworld.resident)  # a plain resident
    other = make_vote(title="别的表决", buildings=[vworld.b1])
    with pytest.raises(RuleViolation) as refused:
        enter(other, vworld.h702, vworld.committee)  # 7号楼 is not in that vote
    assert "not in this vote's electorate" in refused.value.message
    nothing_written(vote, upload_dir, set())


def test_the_committee_enters_for_any_building(vworld, make_vote, upload_dir, english):
    vote = make_vote()
    enter(vote, vworld.h101, vworld.committee)
    enter(vote, vworld.h703, vworld.committee, answer=Answer.AGAINST)
    db.session.commit()
    assert {b.household_id: b.answer for b in db.session.query(Ballot).filter_by(vote_id=vote.id)} == {
        vworld.h101.id: "for", vworld.h703.id: "against"}


@pytest.mark.parametrize(("data", "name", "expected"), [
    (b"hello, this is text", "slip.jpg", "is not a JPEG, PNG or WebP photo"),
    (png_bomb(), "bomb.png", "has too many pixels"),
    (b"", "empty.jpg", "is empty"),
])
def test_hostile_photos_are_refused_with_the_reason(vworld, make_vote, upload_dir, english, data, name, expected):
    vote = make_vote()
    with pytest.raises(UploadRejected) as refused:
        enter(vote, vworld.h702, vworld.leader, photo=photo(data, name))
    assert expected in refused.value.message and name in refused.value.message
    nothing_written(vote, upload_dir, set())


def test_a_photo_is_required(vworld, make_vote, upload_dir, english):
    vote = make_vote()
    with pytest.raises(RuleViolation) as refused:
        enter(vote, vworld.h702, vworld.leader, photo=FileStorage(io.BytesIO(b""), filename=""))
    assert refused.value.field == "photo" and "photo of the signed paper slip" in refused.value.message


def test_a_closed_vote_refuses_and_leaves_no_slip_and_no_file(vworld, make_vote, upload_dir, english):
    vote = make_vote()
    before = files(upload_dir)
    with pytest.raises(VoteNotOpen):
        enter(vote, vworld.h702, vworld.leader, now=vote.closes_at + timedelta(minutes=1))
    nothing_written(vote, upload_dir, before)


def test_a_bad_ballot_is_refused_before_any_file_is_written(vworld, make_vote, upload_dir, english):
    vote = make_vote(method=Method.SINGLE, preset=Preset.SIMPLE_MAJORITY)
    with pytest.raises(RuleViolation):
        enter(vote, vworld.h702, vworld.leader, answer=None, marks={})
    with pytest.raises(RuleViolation):
        enter(vote, vworld.h702, vworld.leader, answer=Answer.FOR, marks={})
    nothing_written(vote, upload_dir, set())


def test_resident_unit_votes_take_no_paper(vworld, make_vote, upload_dir, english):
    vote = make_vote(unit=Unit.RESIDENT, preset=Preset.SIMPLE_MAJORITY)
    with pytest.raises(RuleViolation) as refused:
        enter(vote, vworld.h702, vworld.committee)
    assert "one ballot per resident" in refused.value.message
    nothing_written(vote, upload_dir, set())


def test_a_failed_commit_removes_the_files(vworld, make_vote, upload_dir, english, monkeypatch):
    """Anything failing after the photo was stored (here: the audit write) takes the files away again."""
    vote = make_vote()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(paper, "record", broken)
    with pytest.raises(RuntimeError):
        enter(vote, vworld.h702, vworld.leader)
    nothing_written(vote, upload_dir, set())


def test_the_household_overrides_online_and_it_is_recorded(vworld, make_vote, upload_dir, english):
    vote = make_vote()
    enter(vote, vworld.h701, vworld.leader, answer=Answer.AGAINST)
    db.session.commit()
    elector = elector_of(vote, vworld.h701)
    ballot = casting.cast(vote.id, elector_id=elector.id, actor=vworld.resident, answer=Answer.FOR, marks={},
                          now=utcnow())
    db.session.commit()
    assert ballot.channel is Channel.ONLINE and ballot.slip_id is None and ballot.revision == 2
    records = db.session.query(BallotRecord).filter_by(vote_id=vote.id).order_by(BallotRecord.id).all()
    assert [(r.channel, r.overrides_paper) for r in records] == [(Channel.PAPER, False), (Channel.ONLINE, True)]
    assert db.session.query(AuditEvent).filter_by(action="vote.paper_overridden").count() == 1
    assert vote.state is State.OPEN
