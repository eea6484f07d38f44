"""The expert's scoring page (plain and htmx), who may open it, and the expert table macro."""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from flask import render_template_string
from flask_babel import force_locale

from civic.clock import utcnow
from civic.community.rules import standing_of
from civic.designs.models import DesignFile, DesignOption, DesignVersion, FileKind
from civic.extensions import db
from civic.threads.models import ThreadKind
from civic.threads.services import new_thread
from civic.voting import expert
from civic.voting.models import ExpertScore, Method, State, VoteChoice
from tests.querycount import counted_queries

RUBRIC = [("安全", 30), ("造价", 30), ("消防", 20), ("维护", 20)]


@pytest.fixture
def reviewed(vworld, make_vote):
    vote = make_vote(method=Method.SINGLE, expert_weight_percent=40)
    expert.set_rubric(vote, RUBRIC)
    db.session.commit()
    return vote


def _url(vworld, vote) -> str:
    return f"/c/{vworld.community.slug}/votes/{vote.id}/expert"


def _form(vote, value: int = 7) -> dict[str, str]:
    return {f"score-{c.id}-{ch.id}": str(value) for c in vote.criteria for ch in vote.choices}


def _selected(html: str, name: str) -> str | None:
    select = re.search(rf'<select id="{name}" name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    chosen = re.search(r'<option value="(\d*)" selected>', select.group(1))
    return chosen.group(1) if chosen else None


def test_the_form_has_one_select_per_cell(vworld, reviewed, login_as, en):
    client = login_as(vworld.expert)
    response = client.get(_url(vworld, reviewed))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="expert-form"' in html and "Save my scores" in html
    names = re.findall(r'<select id="(score-\d+-\d+)"', html)
    assert sorted(names) == sorted(_form(reviewed))
    assert len(re.findall(r'<option value="\d+"', html)) == 8 * 11
    assert "安全" in html and "30%" in html


def test_plain_post_saves_and_redirects_then_prefills(vworld, reviewed, login_as, en):
    client = login_as(vworld.expert)
    data = _form(reviewed, 6)
    first = next(iter(data))
    data[first] = "10"
    response = client.post(_url(vworld, reviewed), data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith(_url(vworld, reviewed))
    assert db.session.query(ExpertScore).filter_by(expert_id=vworld.expert.id).count() == 8
    html = client.get(_url(vworld, reviewed)).get_data(as_text=True)
    assert "Your scores are saved" in html
    assert _selected(html, first) == "10" and _selected(html, list(data)[1]) == "6"


def test_htmx_post_returns_only_the_form(vworld, reviewed, login_as, en):
    client = login_as(vworld.expert)
    response = client.post(_url(vworld, reviewed), data=_form(reviewed, 9), headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Trigger"] == "expert-scored"
    assert html.lstrip().startswith('<form id="expert-form"') and "<html" not in html and "Criteria and weights" not in html
    assert "Your scores are saved" in html
    assert {s.score for s in db.session.query(ExpertScore)} == {9}


def test_htmx_get_is_the_whole_page_only_when_not_htmx(vworld, reviewed, login_as, en):
    client = login_as(vworld.expert)
    response = client.get(_url(vworld, reviewed), headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith('<form id="expert-form"') and "<html" not in html


@pytest.mark.parametrize("htmx", [False, True])
def test_a_missing_cell_answers_422_with_the_input_kept(vworld, reviewed, login_as, en, htmx):
    client = login_as(vworld.expert)
    data = _form(reviewed, 8)
    missing = list(data)[3]
    data[missing] = ""
    data[list(data)[0]] = "3"
    response = client.post(_url(vworld, reviewed), data=data, headers={"HX-Request": "true"} if htmx else {})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "(1 still empty)" in html
    assert _selected(html, list(data)[0]) == "3" and _selected(html, list(data)[1]) == "8"
    assert _selected(html, missing) is None and 'aria-invalid="true"' in html
    assert ("<html" in html) is not htmx
    assert db.session.query(ExpertScore).count() == 0


@pytest.mark.parametrize("bad", ["11", "-1", "７", "abc"])
def test_a_score_out_of_range_is_refused(vworld, reviewed, login_as, en, bad):
    client = login_as(vworld.expert)
    data = _form(reviewed)
    data[next(iter(data))] = bad
    assert client.post(_url(vworld, reviewed), data=data).status_code == 422
    assert db.session.query(ExpertScore).count() == 0


def test_a_field_for_another_votes_choice_is_ignored(vworld, reviewed, make_vote, login_as, en):
    other = make_vote(title="电动车棚", method=Method.SINGLE, expert_weight_percent=40)
    expert.set_rubric(other, RUBRIC)
    db.session.commit()
    client = login_as(vworld.expert)
    data = {**_form(reviewed), f"score-{other.criteria[0].id}-{other.choices[0].id}": "10"}
    assert client.post(_url(vworld, reviewed), data=data).status_code == 303
    assert db.session.query(ExpertScore).filter_by(vote_id=other.id).count() == 0
    assert {s.choice_id for s in db.session.query(ExpertScore)} == {c.id for c in reviewed.choices}


def test_after_the_close_the_page_is_read_only_and_a_post_is_refused(vworld, reviewed, login_as, en):
    client = login_as(vworld.expert)
    reviewed.state, reviewed.closed_at = State.CLOSED, utcnow()
    db.session.commit()
    html = client.get(_url(vworld, reviewed)).get_data(as_text=True)
    assert "Scoring has ended" in html and "Save my scores" not in html and " disabled" in html
    response = client.post(_url(vworld, reviewed), data=_form(reviewed), headers={"HX-Request": "true"})
    assert response.status_code == 409 and "ended when the vote closed" in response.get_data(as_text=True)
    empty = client.post(_url(vworld, reviewed), data={})  # the disabled selects post nothing
    assert empty.status_code == 409 and "ended when the vote closed" in empty.get_data(as_text=True)
    assert db.session.query(ExpertScore).count() == 0


def test_past_the_deadline_a_post_is_refused(vworld, make_vote, login_as, en):
    vote = make_vote(method=Method.SINGLE, expert_weight_percent=40, opens_at=utcnow() - timedelta(days=2),
                     closes_at=utcnow() + timedelta(seconds=2))
    expert.set_rubric(vote, RUBRIC)
    vote.closes_at = utcnow() - timedelta(seconds=1)  # the deadline passed; close-due has not run yet
    db.session.commit()
    response = login_as(vworld.expert).post(_url(vworld, vote), data=_form(vote))
    assert response.status_code == 409 and db.session.query(ExpertScore).count() == 0


@pytest.mark.parametrize("who, status", [("resident", 403), ("committee", 403), ("leader", 403), ("outsider", 404)])
def test_only_experts_open_the_page(vworld, reviewed, login_as, who, status):
    client = login_as(getattr(vworld, who))
    assert client.get(_url(vworld, reviewed)).status_code == status
    assert client.post(_url(vworld, reviewed), data=_form(reviewed)).status_code == status
    assert db.session.query(ExpertScore).count() == 0


def test_no_page_for_a_vote_without_expert_review_or_a_draft(vworld, make_vote, login_as):
    client = login_as(vworld.expert)
    assert client.get(_url(vworld, make_vote(method=Method.SINGLE))).status_code == 403
    draft = make_vote(method=Method.SINGLE, expert_weight_percent=40, open=False)
    assert client.get(_url(vworld, draft)).status_code == 404


def test_design_choices_show_their_spec_sheet_and_link(vworld, make_vote, login_as, en):
    option = DesignOption(community_id=vworld.community.id, project_id=vworld.project.id, label="A", title="东侧绿地",
                          thread=new_thread(vworld.community.id, ThreadKind.DESIGN),
                          published_at=utcnow(), version_count=1)
    version = DesignVersion(option=option, number=1, cost_yuan=Decimal("86000.00"), build_days=30)
    version.files.append(DesignFile(kind=FileKind.IMAGE, name="a" * 32, picture_name="a" * 32, phone_name="p" * 32,
                                    desktop_name="d" * 32, width=640, height=480))
    db.session.add_all([option, version])
    db.session.flush()
    vote = make_vote(method=Method.SINGLE, expert_weight_percent=40, choices=("方案B", "方案C"))
    vote.choices.append(VoteChoice(position=3, label="方案A：东侧绿地", option_id=option.id, version_id=version.id))
    expert.set_rubric(vote, RUBRIC)
    db.session.commit()
    html = login_as(vworld.expert).get(_url(vworld, vote)).get_data(as_text=True)
    assert f"/designs/{option.id}/v1" in html and 'class="spec-sheet"' in html and "86,000" in html
    assert f'/designs/files/{"p" * 32}"' in html  # the thumbnail, served by the designs file route


def test_the_expert_table_macro(vworld, reviewed, app):
    cells = {(c.id, ch.id): 8 for c in reviewed.criteria for ch in reviewed.choices}
    expert.score(reviewed, expert=vworld.expert, standing=standing_of(vworld.expert, vworld.community),
                 scores=cells, now=utcnow())
    db.session.commit()
    a, b = reviewed.choices
    with app.test_request_context(), force_locale("en"):
        summary = expert.summary(reviewed, {a.id: Fraction(2, 3), b.id: Fraction(1, 3)})
        html = render_template_string('{% from "voting/_expert_macros.html" import expert_table %}'
                                      "{{ expert_table(s) }}", s=summary)
    assert "Final score = public vote score × 60% + expert score × 40%" in html
    # A: public 66.666… → 66.7; expert 80; final 40 + 32 = 72.0. B: 33.3; 80; 20 + 32 = 52.0
    rows = re.findall(r'<tr class="expert-row[^"]*" data-choice="(\d+)">(.*?)</tr>', html, re.S)
    cells = {int(cid): re.findall(r"<td[^>]*>(?:<strong>)?([^<]*)", body) for cid, body in rows}
    assert cells[a.id] == ["8.0", "8.0", "8.0", "8.0", "80.0", "66.7", "72.0"]
    assert cells[b.id] == ["8.0", "8.0", "8.0", "8.0", "80.0", "33.3", "52.0"]
    assert "is-leader" in html and "Expert 1" in html and vworld.expert.display_name not in html
    with app.test_request_context():
        assert render_template_string('{% from "voting/_expert_macros.html" import expert_table %}'
                                      "{{ expert_table(None) }}").strip() == ""


def test_page_queries_do_not_grow_with_choices(vworld, make_vote, login_as):
    client = login_as(vworld.expert)

    def page_queries(labels) -> int:
        vote = make_vote(method=Method.SINGLE, expert_weight_percent=40, choices=labels)
        expert.set_rubric(vote, RUBRIC)
        db.session.commit()
        with counted_queries() as statements:
            assert client.get(_url(vworld, vote)).status_code == 200
        return len(statements)

    assert page_queries(("方案A", "方案B", "方案C", "方案D", "方案E", "方案F")) == page_queries(("方案A", "方案B"))
