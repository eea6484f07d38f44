"""Objection pages (plain and htmx), the committee's answer form, and the two printed A4 notices with their QR codes."""
from __future__ import annotations

import pytest

from civic.clock import utcnow
from civic.extensions import db
from civic.voting import closing, signoff
from civic.voting.models import Answer, Method, Objection, Preset, SignAction
from tests.voting.closing_support import cast_for, standing


def _publish(vworld, vote):  # noqa: ANN001, ANN202
    closing.close(vote.id, actor=vworld.committee, now=utcnow())
    signoff.sign(vote, SignAction.PUBLISH, actor=vworld.committee, standing=standing(vworld.committee, vote),
                 now=utcnow())
    db.session.commit()
    return vote


@pytest.fixture
def published(vworld, make_vote):
    vote = make_vote(preset=Preset.SIMPLE_MAJORITY, signoffs_required=1, publicity_days=7)
    cast_for(vote, vworld.resident, Answer.FOR)
    return _publish(vworld, vote)


def _url(vworld, vote, tail: str = "objections") -> str:  # noqa: ANN001
    return f"/c/{vworld.community.slug}/votes/{vote.id}/{tail}"


def test_a_neighbour_files_an_objection_plain_and_over_htmx(vworld, published, login_as, en):
    client = login_as(vworld.neighbour)
    page = client.get(_url(vworld, published)).get_data(as_text=True)
    assert 'id="objection-form"' in page and 'class="answer-form"' not in page
    plain = client.post(_url(vworld, published), data={"body": "入口离我家窗户太近。"})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("/objections#objections")
    htmx = client.post(_url(vworld, published), data={"body": "施工时间请避开午休。"}, headers={"HX-Request": "true"})
    body = htmx.get_data(as_text=True)
    assert htmx.status_code == 200 and "HX-Request" in htmx.headers["Vary"]
    assert body.lstrip().startswith('<section id="objections"') and "<html" not in body
    assert "入口离我家窗户太近。" in body and "施工时间请避开午休。" in body and "Not answered yet." in body
    assert db.session.query(Objection).count() == 2


def test_a_refused_objection_keeps_the_text(vworld, published, login_as, en):
    client = login_as(vworld.neighbour)
    response = client.post(_url(vworld, published), data={"body": "短"}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "Write 2 to 2000 characters." in response.get_data(as_text=True)
    assert "短</textarea>" in response.get_data(as_text=True)
    assert db.session.query(Objection).count() == 0


def test_the_committee_answers_and_the_answer_can_be_corrected(vworld, published, client, login_as, en):
    login_as(vworld.neighbour).post(_url(vworld, published), data={"body": "入口离我家窗户太近。"})
    objection = db.session.query(Objection).one()
    client.post("/logout")
    login_as(vworld.committee)
    answer_url = _url(vworld, published, f"objections/{objection.id}/answer")
    page = client.get(_url(vworld, published)).get_data(as_text=True)
    assert 'class="answer-form"' in page and 'name="answer"' in page
    assert client.post(answer_url, data={"answer": "入口改到北侧。"}).status_code == 303
    htmx = client.post(answer_url, data={"answer": "入口改到北侧，图纸见附件。"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 200 and "The answer is corrected." in htmx.get_data(as_text=True)
    empty = client.post(answer_url, data={"answer": ""}, headers={"HX-Request": "true"})
    assert empty.status_code == 422
    db.session.refresh(objection)
    assert objection.answer_md == "入口改到北侧，图纸见附件。"


def test_residents_cannot_answer_and_other_votes_objections_are_404(vworld, published, make_vote, login_as):
    login_as(vworld.neighbour).post(_url(vworld, published), data={"body": "入口离我家窗户太近。"})
    objection = db.session.query(Objection).one()
    client = login_as(vworld.resident)
    answer_url = _url(vworld, published, f"objections/{objection.id}/answer")
    assert client.post(answer_url, data={"answer": "我来回答"}).status_code == 403
    other = make_vote(title="另一个表决")
    client = login_as(vworld.committee)
    assert client.post(_url(vworld, other, f"objections/{objection.id}/answer"),
                       data={"answer": "答复"}).status_code == 404


def test_objections_page_needs_a_published_vote(vworld, make_vote, login_as):
    vote = make_vote()
    assert login_as(vworld.resident).get(_url(vworld, vote)).status_code == 403


def test_the_open_vote_notice_has_the_choices_the_deadline_and_a_qr_code(vworld, make_vote, login_as, en):
    vote = make_vote(method=Method.SINGLE, choices=("方案A：东侧", "方案B：北侧"))
    page = login_as(vworld.resident).get(_url(vworld, vote, "notice"))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<svg" in html and f"/votes/{vote.id}" in html
    assert "方案A：东侧" in html and "方案B：北侧" in html and "Choose one of the options." in html
    assert "building-group leader" in html and 'class="lobby-url"' in html


def test_a_draft_has_no_notice(vworld, make_vote, login_as):
    vote = make_vote(open=False)
    assert login_as(vworld.committee).get(_url(vworld, vote, "notice")).status_code == 403
    assert login_as(vworld.resident).get(_url(vworld, vote, "notice")).status_code == 404


def test_the_result_notice_shows_figures_verdict_digest_signatures_and_the_publicity_period(
        vworld, published, login_as, en):
    html = login_as(vworld.resident).get(_url(vworld, published, "result-notice")).get_data(as_text=True)
    assert 'id="art278-panel"' in html and 'class="choice-totals' in html and published.digest in html
    assert "Published, signed by:" in html and "陈书记" in html and "Publicity period until" in html
    assert "<svg" in html and f"/votes/{published.id}/results" in html


def test_the_result_notice_waits_for_the_close(vworld, make_vote, login_as):
    vote = make_vote()
    assert login_as(vworld.committee).get(_url(vworld, vote, "result-notice")).status_code == 403
