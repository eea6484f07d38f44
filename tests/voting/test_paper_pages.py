"""Paper-ballot pages: the entry form (plain and htmx), reconciliation, door-knock list, reminders, slips, photos."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest

from civic.clock import utcnow
from civic.community.models import Household
from civic.extensions import db
from civic.notices.models import NoticeKind, Notification
from civic.voting import casting, doorknock
from civic.voting.models import Answer, Ballot, Channel, Elector, Method, PaperSlip, Preset, Reminder
from tests.querycount import counted_queries
from tests.security.test_hostile_uploads import png_bomb
from tests.voting.conftest import jpeg_bytes

HX = {"HX-Request": "true"}


def url(vworld, vote, tail: str = "paper") -> str:
    return f"/c/{vworld.community.slug}/votes/{vote.id}/{tail}"


def form(vworld, household, *, data: bytes | None = None, name: str = "slip.jpg", **fields) -> dict:
    body = {"building": str(household.building_id), "household": str(household.id), "answer": "for"}
    body.update(fields)
    if data is not False:
        body["photo"] = (io.BytesIO(jpeg_bytes() if data is None else data), name)
    return body


def elector_of(vote, household) -> Elector:
    return db.session.execute(db.select(Elector).filter_by(vote_id=vote.id, household_id=household.id)).scalar_one()


def files(upload_dir) -> set[str]:
    return {p.name for p in upload_dir.iterdir()} if upload_dir.exists() else set()


# ---------------------------------------------------------------- entering

def test_the_form_offers_only_the_leaders_building_and_the_photo_input(vworld, make_vote, en, login_as):
    vote = make_vote()
    page = login_as(vworld.leader).get(url(vworld, vote))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="paper-form"' in html
    assert 'accept="image/*" capture="environment"' in html
    building_select = re.search(r'<select id="paper-building" name="building".*?</select>', html, re.S).group()
    assert "7号楼" in building_select and "1号楼" not in building_select
    assert ">701" in html and ">101" not in html


def test_residents_may_not_open_the_paper_form(vworld, make_vote, login_as):
    vote = make_vote()
    assert login_as(vworld.resident).get(url(vworld, vote)).status_code == 403


def test_entering_plain_redirects_with_the_household_and_choice_in_words(vworld, make_vote, en, login_as, upload_dir):
    vote = make_vote()
    client = login_as(vworld.leader)
    response = client.post(url(vworld, vote), data=form(vworld, vworld.h702), content_type="multipart/form-data")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Paper ballot entered for 7号楼 702: For." in page
    ballot = db.session.execute(db.select(Ballot).filter_by(vote_id=vote.id)).scalar_one()
    assert ballot.channel is Channel.PAPER and ballot.household_id == vworld.h702.id


def test_entering_with_htmx_returns_only_the_panel(vworld, make_vote, en, login_as, upload_dir):
    vote = make_vote(method=Method.RANKED, preset=Preset.SIMPLE_MAJORITY, choices=("方案A", "方案B", "方案C"))
    a, b, c = (choice.id for choice in vote.choices)
    body = form(vworld, vworld.h703, answer="", **{f"rank-{b}": "1", f"rank-{a}": "2", f"rank-{c}": ""})
    response = login_as(vworld.committee).post(url(vworld, vote), data=body, headers=HX,
                                               content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith('<div id="paper_panel"') and "<html" not in html
    assert "Paper ballot entered for 7号楼 703: 1. 方案B, 2. 方案A." in html
    assert db.session.execute(db.select(Ballot.marks_key).filter_by(vote_id=vote.id)).scalar_one() == f"{b},{a}"


def test_another_building_is_refused_with_422_and_nothing_written(vworld, make_vote, en, login_as, upload_dir):
    vote = make_vote()
    response = login_as(vworld.leader).post(url(vworld, vote), data=form(vworld, vworld.h101),
                                            content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose a building you may enter paper ballots for." in response.get_data(as_text=True)
    assert db.session.query(Ballot).count() == 0 and db.session.query(PaperSlip).count() == 0
    assert files(upload_dir) == set()
    # a room of another building sent with the leader's own building: refused too
    body = form(vworld, vworld.h101, building=str(vworld.b7.id))
    again = login_as(vworld.leader).post(url(vworld, vote), data=body, content_type="multipart/form-data")
    assert again.status_code == 422 and db.session.query(Ballot).count() == 0


@pytest.mark.parametrize(("data", "name", "expected"), [
    (b"<html>not a photo</html>", "slip.jpg", "slip.jpg is not a JPEG, PNG or WebP photo."),
    (png_bomb(), "bomb.png", "bomb.png has too many pixels"),
    (False, "", "Attach a photo of the signed paper slip"),
])
def test_a_bad_photo_is_refused_with_the_reason_and_the_input_kept(vworld, make_vote, en, login_as, upload_dir,
                                                                  data, name, expected):
    vote = make_vote(method=Method.APPROVAL, preset=Preset.SIMPLE_MAJORITY)
    second = vote.choices[1].id
    body = form(vworld, vworld.h702, data=data, name=name, answer="", choice=str(second))
    response = login_as(vworld.leader).post(url(vworld, vote), data=body, headers=HX,
                                            content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and expected in html
    assert f'value="{second}" checked' in html  # the ticked choice is kept
    assert f'value="{vworld.h702.id}" selected' in html  # and the room
    assert db.session.query(Ballot).count() == 0 and files(upload_dir) == set()


def test_a_closed_vote_answers_409(vworld, make_vote, en, login_as, upload_dir):
    vote = make_vote()
    vote.closes_at = utcnow() - timedelta(seconds=1)
    vote.opens_at = vote.closes_at - timedelta(days=1)
    db.session.commit()
    response = login_as(vworld.leader).post(url(vworld, vote), data=form(vworld, vworld.h702),
                                            content_type="multipart/form-data")
    assert response.status_code == 409 and "Voting has closed" in response.get_data(as_text=True)
    assert db.session.query(PaperSlip).count() == 0 and files(upload_dir) == set()


# ---------------------------------------------------------------- reconciliation

def enter_direct(vworld, vote, household, actor, answer=Answer.FOR) -> Ballot:
    from flask_babel import force_locale
    from werkzeug.datastructures import FileStorage

    from civic.community.rules import standing_of
    from civic.voting import paper

    with force_locale("en"):
        ballot = paper.enter(vote, household_id=household.id, actor=actor,
                             standing=standing_of(actor, vworld.community), answer=answer, marks={},
                             photo=FileStorage(io.BytesIO(jpeg_bytes()), filename="slip.jpg"), now=utcnow())
    db.session.commit()
    return ballot


def test_reconciliation_counts_slips_against_current_paper_ballots(vworld, make_vote, en, login_as, upload_dir):
    vote = make_vote()
    enter_direct(vworld, vote, vworld.h701, vworld.leader)  # then overridden online
    enter_direct(vworld, vote, vworld.h702, vworld.leader)  # replaced by a later slip
    enter_direct(vworld, vote, vworld.h702, vworld.committee, Answer.AGAINST)
    enter_direct(vworld, vote, vworld.h703, vworld.leader)
    enter_direct(vworld, vote, vworld.h101, vworld.committee)  # another building: not on this page
    casting.cast(vote.id, elector_id=elector_of(vote, vworld.h701).id, actor=vworld.resident, answer=Answer.FOR,
                 marks={}, now=utcnow())
    db.session.commit()

    html = login_as(vworld.leader).get(url(vworld, vote, f"paper/{vworld.b7.id}")).get_data(as_text=True)
    figures = dict(re.findall(r'<dd data-key="(\w+)">(\d+)</dd>', html))
    assert figures == {"slips": "4", "counted": "2", "online": "1", "replaced": "1", "paper_ballots": "2"}
    # independently: current paper ballots of 7号楼
    assert db.session.query(Ballot).filter_by(vote_id=vote.id, building_id=vworld.b7.id,
                                              channel=Channel.PAPER).count() == 2
    table = re.search(r'<table class="reconcile">.*?</table>', html, re.S).group()
    assert table.count("<tr data-slip") == 4 and "101" not in table and "赵阿姨" in table and "陈书记" in table
    assert "The slips still counted and the paper ballots agree." in html


def test_reconciliation_is_for_the_buildings_leader_and_the_committee(vworld, make_vote, login_as):
    vote = make_vote()
    assert login_as(vworld.leader).get(url(vworld, vote, f"paper/{vworld.b1.id}")).status_code == 403
    assert login_as(vworld.resident).get(url(vworld, vote, f"paper/{vworld.b7.id}")).status_code == 403
    assert login_as(vworld.committee).get(url(vworld, vote, f"paper/{vworld.b1.id}")).status_code == 200
    assert login_as(vworld.committee).get(url(vworld, vote, "paper/999999")).status_code == 404


# ---------------------------------------------------------------- slip photo

def test_the_slip_photo_access_matrix(vworld, make_vote, login_as, upload_dir):
    vote = make_vote()
    slip_id = enter_direct(vworld, vote, vworld.h701, vworld.leader).slip_id
    photo = url(vworld, vote, f"slips/{slip_id}/photo")
    expected = {"leader": 200, "committee": 200, "resident": 200, "family": 200, "tenant": 200,
                "neighbour": 404, "teacher": 404, "expert": 404}
    for who, status in expected.items():
        response = login_as(getattr(vworld, who)).get(photo)
        assert response.status_code == status, who
        if status == 200:
            assert response.mimetype == "image/jpeg" and response.headers["X-Content-Type-Options"] == "nosniff"
    assert login_as(vworld.outsider).get(photo).status_code == 404
    assert login_as(vworld.committee).get(url(vworld, vote, "slips/999999/photo")).status_code == 404


def test_a_leader_of_another_building_cannot_see_the_slip(vworld, make_vote, login_as, upload_dir, grant):
    from civic.community.models import Role

    vote = make_vote()
    slip_id = enter_direct(vworld, vote, vworld.h701, vworld.committee).slip_id
    grant(vworld.teacher, vworld.community, Role.BUILDING_LEADER, buildings=[vworld.b1])
    assert login_as(vworld.teacher).get(url(vworld, vote, f"slips/{slip_id}/photo")).status_code == 404


# ---------------------------------------------------------------- door-knock list and reminders

def test_the_door_knock_list_is_the_not_voted_households(vworld, make_vote, en, login_as, upload_dir):
    vote = make_vote()
    casting.cast(vote.id, elector_id=elector_of(vote, vworld.h702).id, actor=vworld.neighbour, answer=Answer.FOR,
                 marks={}, now=utcnow())
    db.session.commit()
    enter_direct(vworld, vote, vworld.h704, vworld.leader)
    html = login_as(vworld.leader).get(url(vworld, vote, f"doorknock/{vworld.b7.id}")).get_data(as_text=True)
    table = re.search(r'<table class="doorknock">.*?</table>', html, re.S).group()
    rooms = re.findall(r"<tr data-household=\"\d+\">\s*<td>(\w+)</td>", table)
    # independent count: households of 7号楼 without a ballot
    voted = set(db.session.execute(db.select(Ballot.household_id).filter_by(vote_id=vote.id)).scalars())
    expected = sorted(h.room for h in db.session.query(Household).filter_by(building_id=vworld.b7.id)
                      if h.id not in voted)
    assert rooms == expected == ["701", "703"]
    assert "王阿姨" in table and "王叔叔" not in table  # owners only: who may vote
    assert "2 of 4 households have not voted" in html


def test_the_door_knock_page_costs_the_same_queries_whatever_the_size(vworld, make_vote, login_as, make_household,
                                                                     make_member):
    vote_small = make_vote(title="小")
    client = login_as(vworld.leader)
    page = url(vworld, vote_small, f"doorknock/{vworld.b7.id}")
    client.get(page)
    with counted_queries() as small:
        assert client.get(page).status_code == 200
    for room in range(710, 730):
        make_member(make_household(vworld.b7, room=str(room)), display_name=f"邻居{room}")
    vote_big = make_vote(title="大")
    page = url(vworld, vote_big, f"doorknock/{vworld.b7.id}")
    client.get(page)
    with counted_queries() as big:
        html = client.get(page).get_data(as_text=True)
    assert html.count("<tr data-household") == 24
    assert len(big) == len(small)


def test_the_door_knock_list_is_for_the_leader_and_the_committee(vworld, make_vote, login_as):
    vote = make_vote()
    assert login_as(vworld.resident).get(url(vworld, vote, f"doorknock/{vworld.b7.id}")).status_code == 403
    assert login_as(vworld.leader).get(url(vworld, vote, f"doorknock/{vworld.b1.id}")).status_code == 403
    assert login_as(vworld.owners_committee).get(url(vworld, vote, f"doorknock/{vworld.b1.id}")).status_code == 200


def reminded(vote) -> set[int]:
    return set(db.session.execute(db.select(Notification.user_id).filter_by(
        kind=NoticeKind.VOTE_REMINDER, vote_id=vote.id)).scalars())


def test_a_reminder_reaches_only_members_of_not_voted_households(vworld, make_vote, en, login_as):
    vote = make_vote(owners_only=False)
    casting.cast(vote.id, elector_id=elector_of(vote, vworld.h702).id, actor=vworld.neighbour, answer=Answer.FOR,
                 marks={}, now=utcnow())
    db.session.commit()
    client = login_as(vworld.leader)
    response = client.post(url(vworld, vote, "remind"), data={"building": str(vworld.b7.id)})
    assert response.status_code == 303
    # 701's three members; not 李叔 (702 voted), not 赵阿姨 (she sent it), not 1号楼
    assert reminded(vote) == {vworld.resident.id, vworld.family.id, vworld.tenant.id}
    row = db.session.execute(db.select(Reminder).filter_by(vote_id=vote.id)).scalar_one()
    assert row.building_id == vworld.b7.id and row.recipients == 3 and row.sent_by_id == vworld.leader.id
    # a second one within 12 hours is refused with the reason (htmx: the panel only)
    again = client.post(url(vworld, vote, "remind"), data={"building": str(vworld.b7.id)}, headers=HX)
    html = again.get_data(as_text=True)
    assert again.status_code == 422 and html.lstrip().startswith('<section id="remind_panel"')
    assert "the next one can be sent after" in html
    assert db.session.query(Reminder).count() == 1


def test_reminders_by_building_and_for_all(vworld, make_vote, en, login_as):
    vote = make_vote()
    leader = login_as(vworld.leader)
    assert leader.post(url(vworld, vote, "remind"), data={"building": str(vworld.b1.id)}).status_code == 403
    assert leader.post(url(vworld, vote, "remind"),
                       data={"building": "all", "from": str(vworld.b7.id)}).status_code == 403
    committee = login_as(vworld.committee)
    response = committee.post(url(vworld, vote, "remind"), data={"building": "all", "from": str(vworld.b1.id)},
                              headers=HX)
    assert response.status_code == 200 and "Reminder sent to 4 neighbours in 2 building(s)." in response.get_data(
        as_text=True)
    assert reminded(vote) == {vworld.teacher.id, vworld.resident.id, vworld.neighbour.id, vworld.leader.id}
    assert committee.post(url(vworld, vote, "remind"), data={"building": "all", "from": str(vworld.b1.id)}
                          ).status_code == 422


def test_twelve_hours_later_a_building_may_be_reminded_again(vworld, make_vote, app):
    vote = make_vote()
    now = utcnow()
    with app.test_request_context():
        doorknock.remind(vote, vworld.b7.id, vworld.committee, now)
        with pytest.raises(Exception):
            doorknock.remind(vote, vworld.b7.id, vworld.committee, now + timedelta(hours=11, minutes=59))
        assert doorknock.remind(vote, vworld.b7.id, vworld.committee, now + timedelta(hours=12, seconds=1))


# ---------------------------------------------------------------- printable slips

def test_printable_slips_one_per_household_with_the_votes_qr(vworld, make_vote, en, login_as):
    vote = make_vote(method=Method.SINGLE, preset=Preset.SIMPLE_MAJORITY, choices=("东侧绿地", "西侧车棚"))
    response = login_as(vworld.leader).get(url(vworld, vote, f"slips?building={vworld.b7.id}"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    slips = re.findall(r'<article class="ballot-slip">.*?</article>', html, re.S)
    assert len(slips) == 4
    vote_url = f"localhost/c/{vworld.community.slug}/votes/{vote.id}"
    for slip in slips:
        assert "<svg" in slip and vote_url in slip and "东侧绿地" in slip and "Signature of the owner" in slip
    assert "7号楼 701" in slips[0]
    assert login_as(vworld.leader).get(url(vworld, vote, f"slips?building={vworld.b1.id}")).status_code == 403
    assert login_as(vworld.resident).get(url(vworld, vote, f"slips?building={vworld.b7.id}")).status_code == 403
