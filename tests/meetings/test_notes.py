"""Round-table notes: text and a whiteboard photo; one click makes one published proposal that remembers its origin."""
import io

import pytest
from werkzeug.datastructures import FileStorage

from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import notes
from civic.meetings.models import MeetingKind, MeetingPhoto, RoundTableNote
from civic.projects.models import Category
from civic.proposals.models import Proposal, ProposalStatus
from civic.web.uploads import UploadRejected
from tests.meetings.minutes_support import held_meeting, sign_in
from tests.proposals.conftest import jpeg_bytes

HX = {"HX-Request": "true"}
TEXT = "垃圾点太臭，夏天尤其严重\n大家希望改成封闭的厢房，定时投放"


@pytest.fixture
def table(world, make_meeting):
    world.project.buildings = [world.b7]
    meeting = held_meeting(make_meeting, projects=[world.project])
    sign_in(meeting, world.organiser, world.neighbour)
    return meeting


def _note(meeting, author, text=TEXT, photo=None):
    upload = FileStorage(io.BytesIO(photo), filename="board.jpg") if photo else None
    note = notes.add(meeting, text=text, upload=upload, actor=author, now=utcnow())
    db.session.commit()
    return note


@pytest.mark.parametrize("text", ["", " x ", "长" * 1001])
def test_note_text_is_bounded(world, table, text):
    with pytest.raises(RuleViolation) as error:
        _note(table, world.neighbour, text)
    assert error.value.field == "text"


def test_a_note_keeps_its_whiteboard_photo(world, table, upload_dir):
    note = _note(table, world.neighbour, photo=jpeg_bytes())
    assert note.photo is not None and note.photo.purpose == "note"
    assert (upload_dir / note.photo.name).is_file()


def test_a_bad_photo_is_refused_before_anything_is_saved(world, table, upload_dir):
    with pytest.raises(UploadRejected):
        _note(table, world.neighbour, photo=b"not an image at all")
    db.session.rollback()
    assert db.session.execute(db.select(RoundTableNote)).first() is None


def test_promote_makes_a_published_proposal_that_remembers_its_origin(world, table, upload_dir):
    note = _note(table, world.neighbour, photo=jpeg_bytes())
    proposal = notes.promote(note, actor=world.neighbour, household_id=world.neighbour_home.id,
                             category=Category.GARBAGE_ROOM, now=utcnow())
    db.session.commit()
    assert proposal.status is ProposalStatus.OPEN and proposal.author_id == world.neighbour.id
    assert proposal.title == "垃圾点太臭，夏天尤其严重" and TEXT.splitlines()[1] in proposal.body_md
    assert table.title in proposal.body_md  # "came from the small round table …"
    assert [b.id for b in proposal.buildings] == [world.b7.id]
    assert proposal.category is Category.GARBAGE_ROOM
    assert len(proposal.photos) == 1 and proposal.photos[0].name != note.photo.name  # a fresh copy
    assert (upload_dir / proposal.photos[0].name).is_file()
    db.session.refresh(note)
    assert note.proposal_id == proposal.id and note.promoted_by_id == world.neighbour.id
    assert proposal in table.proposals
    assert notes.origin_of(proposal) == (table, note)
    assert notes.produced(table) == [proposal]


def test_a_long_first_line_is_cut_to_a_title(world, table):
    note = _note(table, world.neighbour, "长" * 100 + "\n第二行")
    proposal = notes.promote(note, actor=world.organiser, household_id=None, category=Category.OTHER, now=utcnow())
    assert len(proposal.title) == 80 and proposal.title.endswith("…")


def test_promoting_twice_makes_one_proposal(world, table):
    note = _note(table, world.neighbour)
    first = notes.promote(note, actor=world.neighbour, household_id=None, category=Category.OTHER, now=utcnow())
    db.session.commit()
    again = notes.promote(note, actor=world.organiser, household_id=None, category=Category.OTHER, now=utcnow())
    db.session.commit()
    assert again.id == first.id
    assert db.session.scalar(db.select(db.func.count()).select_from(Proposal)) == 1


def test_origin_of_an_ordinary_proposal_is_none(world, table):
    note = _note(table, world.neighbour)
    proposal = notes.promote(note, actor=world.neighbour, household_id=None, category=Category.OTHER, now=utcnow())
    db.session.commit()
    other = Proposal(community_id=world.community.id, thread=proposal.thread, title="x", category=Category.OTHER)
    assert notes.origin_of(other) is None


# ---- routes ----

def _url(world, meeting, tail=""):
    return f"/c/{world.community.slug}/meetings/{meeting.id}/notes{tail}"


def test_add_note_plain_and_htmx(world, table, login_as, en, upload_dir):
    login_as(world.neighbour)
    plain = en.post(_url(world, table), data={"note-text": "第一条"})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("#notes_panel")
    htmx = en.post(_url(world, table), headers=HX, content_type="multipart/form-data",
                   data={"note-text": "第二条 <script>x</script>", "note-photo": (io.BytesIO(jpeg_bytes()), "b.jpg")})
    html = htmx.get_data(as_text=True)
    assert htmx.status_code == 200 and htmx.headers["Vary"].startswith("HX-Request")
    assert htmx.headers["HX-Trigger"] == "note-added"
    assert html.lstrip().startswith('<section id="notes_panel"') and "<html" not in html
    assert "&lt;script&gt;" in html and "<script>x" not in html
    photo = db.session.execute(db.select(MeetingPhoto)).scalar_one()
    assert f"/photos/{photo.phone_name}" in html
    assert en.get(f"/c/{world.community.slug}/meetings/{table.id}/photos/{photo.phone_name}").status_code == 200


def test_a_rejected_photo_says_why_and_keeps_the_text(world, table, login_as, en, upload_dir):
    login_as(world.neighbour)
    for headers in ({}, HX):
        response = en.post(_url(world, table), headers=headers, content_type="multipart/form-data",
                           data={"note-text": "要保留的文字", "note-photo": (io.BytesIO(b"garbage"), "board.jpg")})
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and "要保留的文字" in html
        assert "not a JPEG, PNG or WebP photo" in html and "Your text is kept" in html
        assert ("<html" in html) is (not headers)
    assert db.session.execute(db.select(RoundTableNote)).first() is None
    assert not upload_dir.exists() or list(upload_dir.glob("*")) == []  # no file left behind


def test_who_may_add_notes(world, table, make_meeting, login_as, client):
    login_as(world.far_neighbour)  # a member who did not sign in
    assert client.post(_url(world, table), data={"note-text": "我也说两句"}).status_code == 403
    client.post("/logout")
    login_as(world.outsider)
    assert client.post(_url(world, table), data={"note-text": "外人"}).status_code == 404
    client.post("/logout")
    formal = held_meeting(make_meeting, kind=MeetingKind.DELIBERATION, title="议事会")
    login_as(world.organiser)
    assert client.post(_url(world, formal), data={"note-text": "议事会不记小圆桌笔记"}).status_code == 403
    page = client.get(f"/c/{world.community.slug}/meetings/{formal.id}").get_data(as_text=True)
    assert 'id="notes_panel"' not in page


def test_promote_route_twice_makes_one_proposal_shown_with_its_origin(world, table, login_as, en):
    note = _note(table, world.neighbour)
    login_as(world.neighbour)
    first = en.post(_url(world, table, f"/{note.id}/promote"), data={"category": "greenery"})
    again = en.post(_url(world, table, f"/{note.id}/promote"), data={"category": "greenery"})
    proposal = db.session.execute(db.select(Proposal)).scalar_one()
    assert proposal.category is Category.GREENERY
    for response in (first, again):
        assert response.status_code == 303 and response.headers["Location"].endswith(f"/proposals/{proposal.id}")
    page = en.get(f"/c/{world.community.slug}/proposals/{proposal.id}").get_data(as_text=True)
    assert "This proposal came from the small round table “垃圾点怎么改：小圆桌”" in page
    assert f"/meetings/{table.id}#note-{note.id}" in page
    meeting_page = en.get(f"/c/{world.community.slug}/meetings/{table.id}").get_data(as_text=True)
    assert "Proposals this table produced" in meeting_page and f"/proposals/{proposal.id}" in meeting_page
    assert "Became a proposal" in meeting_page


def test_only_the_author_or_a_manager_may_promote(world, table, login_as, client):
    note = _note(table, world.organiser)
    login_as(world.neighbour)  # attended, but the note is the organiser's
    assert client.post(_url(world, table, f"/{note.id}/promote"), data={"category": "other"}).status_code == 403
    client.post("/logout")
    login_as(world.committee)
    assert client.post(_url(world, table, f"/{note.id}/promote"), data={"category": "other"}).status_code == 303
    assert db.session.execute(db.select(Proposal)).scalar_one().author_id == world.committee.id
