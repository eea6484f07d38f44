"""Editing (inline, 15 minutes) and withdrawing comments: plain and htmx, only by their author."""
from datetime import timedelta

import pytest

from civic.extensions import db
from civic.threads.models import Comment, Thread
from tests.threads.conftest import HTMX, comment_ids, english, thread_url


@pytest.fixture
def setup(client, login_as, place, make_proposal):
    proposal = make_proposal(place["community"], place["author"])
    login_as(place["neighbour"])
    english(client)
    client.post(thread_url(proposal, place["community"]), data={"body": "原来的话"})
    comment = db.session.execute(db.select(Comment)).scalar_one()
    base = f"/c/{place['community'].slug}/comments/{comment.id}"
    return {"proposal": proposal, "comment": comment, "base": base, **place}


def _age(comment: Comment, minutes: int) -> None:
    comment.created_at -= timedelta(minutes=minutes)
    db.session.commit()


def test_edit_form_inline_with_htmx_and_as_a_page_without(client, setup):
    fragment = client.get(setup["base"] + "/edit", headers=HTMX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"] and "<html" not in html
    assert f'<form class="comment-form is-edit" id="comment-{setup["comment"].id}"' in html and "原来的话" in html
    page = client.get(setup["base"] + "/edit")
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)


def test_an_edit_within_the_window_is_saved_marked_and_re_rendered(client, setup):
    comment, version = setup["comment"], db.session.get(Thread, setup["proposal"].thread_id).version
    _age(comment, 14)
    response = client.post(setup["base"] + "/edit", data={"body": "改过的 *话*"}, headers=HTMX)
    html = response.get_data(as_text=True)
    db.session.refresh(comment)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "comment-edited"
    assert comment.body_md == "改过的 *话*" and "<em>话</em>" in comment.body_html and comment.edited_at is not None
    assert comment_ids(html) == [comment.id] and "edited" in html and "<em>话</em>" in html
    assert comment.changed_version == db.session.get(Thread, comment.thread_id).version > version


def test_a_plain_edit_redirects_to_the_comment(client, setup):
    response = client.post(setup["base"] + "/edit", data={"body": "新的"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/proposals/{setup['proposal'].id}#comment-{setup['comment'].id}")


def test_after_sixteen_minutes_the_edit_is_refused_with_the_text_kept(client, setup):
    _age(setup["comment"], 16)
    assert client.get(setup["base"] + "/edit", headers=HTMX).status_code == 403
    response = client.post(setup["base"] + "/edit", data={"body": "太晚的修改"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "15 minutes" in html and "太晚的修改" in html
    db.session.refresh(setup["comment"])
    assert setup["comment"].body_md == "原来的话" and setup["comment"].edited_at is None


def test_an_empty_edit_is_refused(client, setup):
    response = client.post(setup["base"] + "/edit", data={"body": "  "})
    assert response.status_code == 422 and "<html" in response.get_data(as_text=True)


def test_others_may_not_edit_or_withdraw(client, login_as, setup):
    login_as(setup["third"])
    assert client.get(setup["base"] + "/edit").status_code == 403
    assert client.post(setup["base"] + "/edit", data={"body": "篡改"}).status_code == 403
    assert client.post(setup["base"] + "/withdraw").status_code == 403
    login_as(setup["outsider"])
    assert client.post(setup["base"] + "/withdraw").status_code == 404
    db.session.refresh(setup["comment"])
    assert setup["comment"].body_md == "原来的话" and setup["comment"].withdrawn_at is None


def test_cancel_shows_the_comment_again(client, setup):
    fragment = client.get(setup["base"], headers=HTMX)
    assert fragment.status_code == 200 and comment_ids(fragment.get_data(as_text=True)) == [setup["comment"].id]
    plain = client.get(setup["base"])
    assert plain.status_code == 303 and plain.headers["Location"].endswith(f"#comment-{setup['comment'].id}")


def test_withdraw_any_time_keeps_the_replies(client, login_as, setup):
    comment = setup["comment"]
    login_as(setup["third"])
    client.post(thread_url(setup["proposal"], setup["community"]), data={"body": "回复", "parent_id": comment.id})
    login_as(setup["neighbour"])
    english(client)
    _age(comment, 60 * 24)
    response = client.post(setup["base"] + "/withdraw", headers=HTMX)
    html = response.get_data(as_text=True)
    db.session.refresh(comment)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "comment-withdrawn"
    assert comment.withdrawn_at is not None and "Comment withdrawn" in html and "原来的话" not in html
    assert client.post(setup["base"] + "/withdraw").status_code == 403  # once only
    page = client.get(f"/c/{setup['community'].slug}/proposals/{setup['proposal'].id}").get_data(as_text=True)
    assert "回复" in page and "原来的话" not in page
    assert db.session.get(Thread, comment.thread_id).comment_count == 2


def test_plain_withdraw_redirects(client, setup):
    response = client.post(setup["base"] + "/withdraw")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"#comment-{setup['comment'].id}")
