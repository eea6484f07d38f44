""""Addressed in vN" on pins and version comments, and the badges comments carry in an option's discussion."""
import pytest
from flask import g, render_template_string
from flask_login import login_user

from civic.community.rules import standing_of
from civic.designs import pins
from civic.designs.models import AddressedComment, Pin
from civic.extensions import db
from civic.notices.models import NoticeKind, Notification
from civic.threads.display import thread_context
from civic.threads.models import Comment

ADDRESSED = "/c/{slug}/designs/{id}/addressed"


@pytest.fixture
def pinned(dworld, make_option, login_as):
    """Option A with three versions; 王阿姨 pinned a comment on v2 (pin 1) and commented on v2."""
    option = make_option(versions=3)
    client, slug = login_as(dworld.resident), dworld.community.slug
    assert client.post(f"/c/{slug}/designs/{option.id}/v2/pins",
                       data={"x": "40", "y": "60", "body": "桶位离门太远"}).status_code == 303
    assert client.post(f"/c/{slug}/designs/{option.id}/v2/comments", data={"body": "整体不错"}).status_code == 303
    pin = db.session.execute(db.select(Pin)).scalar_one()
    talk = db.session.execute(db.select(Comment).where(Comment.id != pin.comment_id)).scalar_one()
    db.session.execute(db.delete(Notification))
    db.session.commit()
    return option, pin, talk


def _mark(client, slug, option, ids, version=None, back=2, **kwargs):
    data = {"comment_id": ids, "back": back, **({"version": version} if version else {})}
    return client.post(ADDRESSED.format(slug=slug, id=option.id), data=data, **kwargs)


def test_mark_a_pin_addressed_shows_the_badge_and_tells_its_author(dworld, pinned, login_as, en):
    option, pin, _talk = pinned
    client, slug = login_as(dworld.designer), dworld.community.slug
    response = _mark(client, slug, option, [pin.comment_id], version=3)
    assert response.status_code == 303 and response.headers["Location"].endswith("/v2#pin-board")
    assert db.session.get(AddressedComment, pin.comment_id).version.number == 3
    notice = db.session.execute(db.select(Notification)).scalar_one()
    assert (notice.user_id, notice.kind, notice.option_id) == (dworld.resident.id, NoticeKind.DESIGN_ADDRESSED, option.id)
    html = client.get(f"/c/{slug}/designs/{option.id}/v2").get_data(as_text=True)
    assert 'class="pin-addressed"' in html and "Addressed in v3" in html
    assert 'class="pin is-addressed" data-pin="1"' in html


def test_the_current_version_is_the_default(dworld, pinned, login_as):
    option, _pin, talk = pinned
    client, slug = login_as(dworld.committee), dworld.community.slug
    assert _mark(client, slug, option, [talk.id]).headers["Location"].endswith("/v2#version-comments")
    assert db.session.get(AddressedComment, talk.id).version.number == 3


def test_residents_may_not_mark(dworld, pinned, login_as):
    option, pin, _talk = pinned
    client, slug = login_as(dworld.resident), dworld.community.slug
    assert _mark(client, slug, option, [pin.comment_id]).status_code == 403
    html = client.get(f"/c/{slug}/designs/{option.id}/v2").get_data(as_text=True)
    assert 'class="pin-mark"' not in html
    assert db.session.get(AddressedComment, pin.comment_id) is None


def test_a_comment_of_another_option_or_community_is_404(dworld, pinned, make_option, login_as):
    option, pin, _talk = pinned
    other = make_option(title="西侧", versions=1)
    client, slug = login_as(dworld.designer), dworld.community.slug
    assert _mark(client, slug, other, [pin.comment_id], back=1).status_code == 404
    assert _mark(client, slug, option, [pin.comment_id, 999_999]).status_code == 404
    assert login_as(dworld.outsider).post(ADDRESSED.format(slug=slug, id=option.id),
                                          data={"comment_id": pin.comment_id}).status_code == 404
    assert _mark(client, slug, option, [pin.comment_id], version=9).status_code == 404
    assert db.session.execute(db.select(db.func.count()).select_from(AddressedComment)).scalar_one() == 0


def test_an_earlier_version_cannot_address_a_pin(dworld, pinned, login_as, en):
    option, pin, _talk = pinned
    client, slug = login_as(dworld.designer), dworld.community.slug
    response = _mark(client, slug, option, [pin.comment_id], version=1)
    assert response.status_code == 422 and "its own version or a later one" in response.get_data(as_text=True)
    assert db.session.get(AddressedComment, pin.comment_id) is None


def test_mark_addressed_htmx_returns_the_block(dworld, pinned, login_as, en):
    option, pin, talk = pinned
    client, slug = login_as(dworld.designer), dworld.community.slug
    response = _mark(client, slug, option, [pin.comment_id], headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<section") and 'id="pin-board"' in html and "<html" not in html
    assert "Addressed in v3" in html
    response = _mark(client, slug, option, [talk.id], headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert 'id="version-comments"' in html and 'id="pin-board"' not in html and "Addressed in v3" in html


def test_badges_for_comments_in_the_discussion(app, dworld, pinned):
    option, pin, talk = pinned
    with app.test_request_context(headers={"Cookie": "civic_lang=en"}):
        g.community = dworld.community
        assert pins.badges_for(option, []) == {}
        badges = pins.badges_for(option, [pin.comment_id, talk.id])
    base = f"/c/{dworld.community.slug}/designs/{option.id}/v"
    assert badges[pin.comment_id] == [("Pin 1 · v2", f"{base}2#pin-1", "pin")]
    assert badges[talk.id] == [("About v2", f"{base}2", "about")]


def test_the_thread_shows_the_badges(app, dworld, pinned):
    option, pin, talk = pinned
    db.session.add(AddressedComment(comment_id=pin.comment_id, version_id=option.versions[2].id))
    db.session.commit()
    template = ('{% from "moderation/_controls.html" import moderation_controls %}'
                '{% include "threads/_thread.html" %}')
    with app.test_request_context(headers={"Cookie": "civic_lang=en"}):
        login_user(dworld.neighbour)
        g.community, g.standing = dworld.community, standing_of(dworld.neighbour, dworld.community)
        ctx = pins.add_badges(thread_context(dworld.community, option.thread, page_url="/x"), option)
        html = render_template_string(template, thread_ctx=ctx)
    assert "Pin 1 · v2" in html and "Addressed in v3" in html and "About v2" in html
    assert 'class="comment-badge is-addressed"' in html
