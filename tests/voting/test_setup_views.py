"""Setting up votes through the pages: committee only, 422 keeps input, 303 on success, the freeze, the project page."""
from __future__ import annotations

from datetime import timedelta

import pytest

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.extensions import db
from civic.meetings.localtime import to_local
from civic.notices.models import NoticeKind, Notification
from civic.projects.models import Stage
from civic.voting import electorate
from civic.voting.models import Ballot, Method, Preset, State, Vote
from tests.conftest import login


@pytest.fixture
def signed_in(client, en):
    def do(user):
        assert login(client, user.username).status_code == 303
        return client
    return do


def _local(dt) -> str:
    return to_local(dt).strftime("%Y-%m-%dT%H:%M")


def _data(vworld, **overrides) -> dict:
    now = utcnow()
    data = {"title": "垃圾厢房选址", "explanation": "两处选址", "method": "single", "choices": "东侧绿地\n西侧车棚旁",
            "unit": "household", "owners_only": "y", "buildings": [str(vworld.b1.id), str(vworld.b7.id)],
            "preset": "art278_major", "part_basis": "both", "part_op": "ge", "part_num": "2", "part_den": "3",
            "appr_basis": "both", "appr_op": "ge", "appr_num": "3", "appr_den": "4", "appr_base": "participating",
            "secrecy": "secret", "opens_at": _local(now + timedelta(hours=1)),
            "closes_at": _local(now + timedelta(days=7)), "publicity_days": "7", "signoffs_required": "2",
            "expert_weight_percent": "0", "rubric": ""}
    data.update(overrides)
    return data


def _new_url(vworld):
    return f"/c/{vworld.community.slug}/projects/{vworld.project.id}/votes/new"


def test_committee_creates_a_draft_and_is_sent_to_its_settings(vworld, signed_in):
    client = signed_in(vworld.committee)
    page = client.get(_new_url(vworld))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="vote-form"' in html and 'type="datetime-local"' in html
    assert 'name="part_num"' in html and "exactly half is not more than half" in html
    response = client.post(_new_url(vworld), data=_data(vworld))
    vote = db.session.query(Vote).one()
    assert response.status_code == 303 and response.location.endswith(f"/votes/{vote.id}/edit")
    assert vote.state is State.DRAFT and [c.label for c in vote.choices] == ["东侧绿地", "西侧车棚旁"]
    assert vote.method is Method.SINGLE and vote.preset is Preset.ART278_MAJOR
    # typed in Beijing time, stored in UTC
    assert _local(vote.opens_at) == _data(vworld)["opens_at"]
    edit = client.get(response.location).get_data(as_text=True)
    assert 'id="announce-form"' in edit and "东侧绿地\n西侧车棚旁" in edit


def test_refused_settings_answer_422_and_keep_what_was_typed(vworld, signed_in):
    client = signed_in(vworld.committee)
    response = client.post(_new_url(vworld), data=_data(vworld, title="请保留这个标题", choices="只有一个"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "at least two choices" in html
    assert 'value="请保留这个标题"' in html and "只有一个" in html
    assert db.session.query(Vote).count() == 0


def test_custom_rule_from_the_form(vworld, signed_in):
    client = signed_in(vworld.committee)
    response = client.post(_new_url(vworld), data=_data(vworld, preset="custom", part_basis="none",
                                                           appr_basis="head", appr_op="gt", appr_num="1",
                                                           appr_den="2", unit="resident", owners_only=""))
    assert response.status_code == 303
    vote = db.session.query(Vote).one()
    assert (vote.preset, vote.part_num, vote.appr_num, vote.appr_den, vote.owners_only) == (
        Preset.CUSTOM, 0, 1, 2, False)
    bad = client.post(_new_url(vworld), data=_data(vworld, preset="custom", appr_num="5", appr_den="4"))
    assert bad.status_code == 422 and "at most 1" in bad.get_data(as_text=True)


def test_rubric_lines_are_read(vworld, signed_in):
    client = signed_in(vworld.committee)
    response = client.post(_new_url(vworld), data=_data(vworld, method="score", expert_weight_percent="40",
                                                           rubric="安全 30\n造价：30\n消防 20%\n维护 20"))
    assert response.status_code == 303
    vote = db.session.query(Vote).one()
    assert [(c.name, c.weight_percent) for c in vote.criteria] == [("安全", 30), ("造价", 30), ("消防", 20), ("维护", 20)]
    bad = client.post(_new_url(vworld), data=_data(vworld, method="score", expert_weight_percent="40",
                                                      rubric="安全 30"))
    assert bad.status_code == 422 and "100" in bad.get_data(as_text=True)


@pytest.mark.parametrize("who", ["resident", "leader", "expert"])
def test_residents_may_not_set_up_votes(vworld, signed_in, who):
    client = signed_in(getattr(vworld, who))
    assert client.get(_new_url(vworld)).status_code == 403
    assert client.post(_new_url(vworld), data=_data(vworld)).status_code == 403
    assert db.session.query(Vote).count() == 0


def test_a_draft_is_hidden_from_residents_and_outsiders(vworld, make_vote, signed_in):
    vote = make_vote(open=False)
    url = f"/c/{vworld.community.slug}/votes/{vote.id}"
    assert signed_in(vworld.resident).get(url + "/edit").status_code == 404
    assert signed_in(vworld.resident).post(url + "/announce").status_code == 404
    assert signed_in(vworld.outsider).get(url + "/edit").status_code == 404
    assert signed_in(vworld.outsider).get(_new_url(vworld)).status_code == 404


def test_an_announced_vote_is_still_not_the_residents_to_edit(vworld, make_vote, signed_in):
    vote = make_vote()
    client = signed_in(vworld.resident)
    assert client.get(f"/c/{vworld.community.slug}/votes/{vote.id}/edit").status_code == 403


def test_new_vote_only_in_a_setup_stage(vworld, signed_in):
    vworld.project.stage = Stage.DONE
    db.session.commit()
    assert signed_in(vworld.committee).get(_new_url(vworld)).status_code == 403


def test_edit_then_announce_opens_and_notifies(vworld, make_vote, signed_in):
    vote = make_vote(open=False, method=Method.SINGLE, choices=("东侧", "西侧"))
    client = signed_in(vworld.committee)
    url = f"/c/{vworld.community.slug}/votes/{vote.id}"
    data = _data(vworld, title="改过的标题", choices="东侧\n西侧\n北侧", opens_at=_local(utcnow() - timedelta(minutes=5)))
    assert client.post(url + "/edit", data=data).status_code == 303
    assert [c.label for c in db.session.get(Vote, vote.id).choices] == ["东侧", "西侧", "北侧"]
    response = client.post(url + "/announce")
    assert response.status_code == 303 and response.location.endswith(url)
    db.session.expire_all()
    assert db.session.get(Vote, vote.id).state is State.OPEN
    told = {n.user_id for n in db.session.query(Notification).filter_by(kind=NoticeKind.VOTE_OPENED)}
    assert told == {vworld.teacher.id, vworld.resident.id, vworld.neighbour.id, vworld.leader.id}
    again = client.post(url + "/announce")
    assert again.status_code == 422 and "already been announced" in again.get_data(as_text=True)


def test_after_the_first_ballot_the_page_is_read_only_and_a_stale_save_is_refused(vworld, make_vote, signed_in):
    vote = make_vote(method=Method.SINGLE, choices=("东侧", "西侧"), preset=Preset.SIMPLE_MAJORITY)
    elector = electorate.electors_of(vote, vworld.resident.id)[0]
    db.session.add(Ballot(vote_id=vote.id, elector_id=elector.id, household_id=elector.household_id,
                          building_id=elector.building_id, area_m2=elector.area_m2, answer="abstain",
                          receipt="R1", cast_at=utcnow()))
    db.session.commit()
    client = signed_in(vworld.committee)
    url = f"/c/{vworld.community.slug}/votes/{vote.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'id="vote-form"' not in page and 'id="wording-form"' in page and "can no longer change" in page
    stale = client.post(url, data=_data(vworld, choices="东侧\n北侧", preset="simple_majority",
                                         opens_at=_local(vote.opens_at), closes_at=_local(vote.closes_at)))
    assert stale.status_code == 422 and "Ballots have been cast" in stale.get_data(as_text=True)
    db.session.expire_all()
    assert [c.label for c in db.session.get(Vote, vote.id).choices] == ["东侧", "西侧"]
    refused = db.session.query(AuditEvent).filter_by(action="vote.settings_refused").one()
    assert "choices" in refused.detail["fields"] and refused.actor_id == vworld.committee.id
    fixed = client.post(url, data={"scope": "wording", "title": "垃圾厢房选址（更正）", "explanation": "更正"})
    assert fixed.status_code == 303
    db.session.expire_all()
    assert db.session.get(Vote, vote.id).title == "垃圾厢房选址（更正）"


def test_index_lists_votes_with_turnout(vworld, make_vote, signed_in):
    make_vote(title="公开的表决")
    make_vote(title="草稿表决", open=False)
    url = f"/c/{vworld.community.slug}/projects/{vworld.project.id}/votes"
    html = signed_in(vworld.resident).get(url).get_data(as_text=True)
    assert "公开的表决" in html and "草稿表决" not in html and "0 of 6 have voted" in html
    assert "Set up a new vote" not in html
    committee = signed_in(vworld.committee).get(url).get_data(as_text=True)
    assert "草稿表决" in committee and "Set up a new vote" in committee
    assert signed_in(vworld.outsider).get(url).status_code == 404


def test_project_page_has_a_votes_section(vworld, make_vote, signed_in):
    make_vote(title="公开的表决")
    make_vote(title="草稿表决", open=False)
    url = f"/c/{vworld.community.slug}/projects/{vworld.project.id}"
    html = signed_in(vworld.resident).get(url).get_data(as_text=True)
    assert 'id="project-votes-heading"' in html and "公开的表决" in html and "草稿表决" not in html
    assert "Set up a new vote" not in html
    committee = signed_in(vworld.committee).get(url).get_data(as_text=True)
    assert "草稿表决" in committee and "Set up a new vote" in committee


def test_index_query_count_does_not_grow_with_votes(vworld, make_vote, signed_in):
    from tests.querycount import counted_queries

    client = signed_in(vworld.committee)
    url = f"/c/{vworld.community.slug}/projects/{vworld.project.id}/votes"
    make_vote(title="一")
    with counted_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(4):
        make_vote(title=f"表决{n}", open=n % 2 == 0)
    with counted_queries() as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
