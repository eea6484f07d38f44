"""The version page and pinned comments: placing pins, refusing bad places, numbering, notifications, access."""
from decimal import Decimal

import pytest

from civic.designs import pins
from civic.designs.models import CommentVersion, Pin
from civic.extensions import db
from civic.notices.models import NoticeKind, Notification
from civic.threads.models import Comment
from tests.querycount import counted_queries


def _url(slug, option, number=1, tail=""):
    return f"/c/{slug}/designs/{option.id}/v{number}{tail}"


def _pin(client, slug, option, number=1, *, x="25", y="75", body="这里的门太窄，轮椅进不去", **extra):
    return client.post(_url(slug, option, number, "/pins"), data={"x": x, "y": y, "body": body, **extra})


def _count(model):
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


@pytest.fixture
def opt(dworld, make_option):
    return make_option(versions=2)


def test_a_pin_is_stored_as_fractions_and_shown_at_the_same_place(dworld, opt, login_as, en):
    client, slug = login_as(dworld.resident), dworld.community.slug
    response = _pin(client, slug, opt, 2)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/designs/{opt.id}/v2#pin-1")
    pin = db.session.execute(db.select(Pin)).scalar_one()
    assert (pin.x, pin.y, pin.number) == (Decimal("0.25"), Decimal("0.75"), 1)
    assert db.session.get(CommentVersion, pin.comment_id).version_id == opt.versions[1].id
    html = client.get(_url(slug, opt, 2)).get_data(as_text=True)
    assert 'class="pin" data-pin="1"' in html
    assert '<circle cx="25%" cy="75%"' in html
    assert '<li id="pin-1" data-pin="1"' in html and "这里的门太窄" in html
    assert "王阿姨 · 7号楼" in html
    assert 'style="' not in html


def test_pins_are_numbered_per_version(dworld, opt, login_as):
    client, slug = login_as(dworld.resident), dworld.community.slug
    for x in ("10", "20", "30"):
        assert _pin(client, slug, opt, 2, x=x).status_code == 303
    assert _pin(client, slug, opt, 1).status_code == 303
    rows = db.session.execute(db.select(Pin.version_id, Pin.number).order_by(Pin.id)).all()
    v1, v2 = opt.versions[0].id, opt.versions[1].id
    assert rows == [(v2, 1), (v2, 2), (v2, 3), (v1, 1)]


@pytest.mark.parametrize("x, y", [("-1", "50"), ("50", "101"), ("NaN", "50"), ("左边", "50"), ("", "50"),
                                  ("Infinity", "5")])
def test_a_pin_off_the_picture_is_refused_and_the_text_kept(dworld, opt, login_as, en, x, y):
    client, slug = login_as(dworld.resident), dworld.community.slug
    response = _pin(client, slug, opt, 2, x=x, y=y, body="门口的坡道太陡")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Put the pin on the picture" in html and "门口的坡道太陡" in html
    assert _count(Pin) == 0 and _count(Comment) == 0


def test_an_empty_comment_is_refused_and_the_place_kept(dworld, opt, login_as, en):
    client, slug = login_as(dworld.resident), dworld.community.slug
    response = _pin(client, slug, opt, 2, x="12.5", body="  ")
    assert response.status_code == 422
    assert 'value="12.5"' in response.get_data(as_text=True)
    assert _count(Pin) == 0


def test_the_pin_comment_is_in_the_thread_and_tells_the_designer(dworld, opt, login_as):
    client, slug = login_as(dworld.resident), dworld.community.slug
    _pin(client, slug, opt, 2)
    comment = db.session.execute(db.select(Comment)).scalar_one()
    assert comment.thread_id == opt.thread_id and comment.author_id == dworld.resident.id
    notice = db.session.execute(db.select(Notification)).scalar_one()
    assert (notice.user_id, notice.kind, notice.comment_id) == (dworld.designer.id, NoticeKind.COMMENT, comment.id)


def test_another_community_gets_404(dworld, opt, login_as):
    client, slug = login_as(dworld.outsider), dworld.community.slug
    assert client.get(_url(slug, opt, 1)).status_code == 404
    assert _pin(client, slug, opt, 1).status_code == 404
    assert _count(Pin) == 0


def test_a_missing_version_or_picture_is_404(dworld, opt, login_as):
    client, slug = login_as(dworld.resident), dworld.community.slug
    assert client.get(_url(slug, opt, 9)).status_code == 404
    assert _pin(client, slug, opt, 1, file="7").status_code == 303  # an unknown picture falls back to the cover


def test_unpublished_option_hidden_from_residents_and_not_pinned_by_designers(dworld, make_option, login_as, en):
    private = make_option(versions=1, published=False)
    slug = dworld.community.slug
    client = login_as(dworld.resident)
    assert client.get(_url(slug, private)).status_code == 404
    assert _pin(client, slug, private).status_code == 404
    client = login_as(dworld.designer)
    html = client.get(_url(slug, private)).get_data(as_text=True)
    assert 'id="pin-form"' not in html and "once the option is published" in html
    assert _pin(client, slug, private).status_code == 403
    assert _count(Pin) == 0


def test_a_locked_thread_refuses_pins_clearly(dworld, opt, login_as, en):
    opt.thread.is_locked, opt.thread.locked_reason = True, "争吵"
    db.session.commit()
    client, slug = login_as(dworld.resident), dworld.community.slug
    html = client.get(_url(slug, opt, 2)).get_data(as_text=True)
    assert 'id="pin-form"' not in html and "locked" in html
    response = _pin(client, slug, opt, 2, body="我的意见")
    assert response.status_code == 422
    assert "locked this discussion (争吵)" in response.get_data(as_text=True) and "我的意见" in response.get_data(as_text=True)
    assert _count(Pin) == 0


def test_htmx_pin_returns_only_the_board(dworld, opt, login_as):
    client, slug = login_as(dworld.resident), dworld.community.slug
    response = client.post(_url(slug, opt, 2, "/pins"), data={"x": "25", "y": "75", "body": "长椅"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"] and response.headers["HX-Trigger"] == "pin-added"
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<section") and 'id="pin-board"' in html and "<html" not in html
    assert '<li id="pin-1" data-pin="1"' in html
    assert '<textarea id="pin-body" name="body" rows="3" required></textarea>' in html  # the form was reset


def test_htmx_refused_pin_returns_the_board_with_422(dworld, opt, login_as, en):
    client, slug = login_as(dworld.resident), dworld.community.slug
    response = client.post(_url(slug, opt, 2, "/pins"), data={"x": "101", "y": "5", "body": "长椅"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 422 and "HX-Request" in response.headers["Vary"]
    html = response.get_data(as_text=True)
    assert "<html" not in html and 'id="pin-board"' in html and "长椅" in html


def test_older_versions_show_their_own_pins_and_a_notice(dworld, opt, login_as, en):
    client, slug = login_as(dworld.resident), dworld.community.slug
    _pin(client, slug, opt, 1, body="旧版的问题")
    _pin(client, slug, opt, 2, body="新版的问题")
    old = client.get(_url(slug, opt, 1)).get_data(as_text=True)
    assert "旧版的问题" in old and "新版的问题" not in old
    assert "This is an older version; the current one is v2." in old and f'href="/c/{slug}/designs/{opt.id}/v2"' in old
    new = client.get(_url(slug, opt, 2)).get_data(as_text=True)
    assert "新版的问题" in new and "旧版的问题" not in new and "older version" not in new


def test_the_page_shows_breadcrumb_note_and_spec(dworld, opt, login_as, en):
    client, slug = login_as(dworld.resident), dworld.community.slug
    html = client.get(_url(slug, opt, 2)).get_data(as_text=True)
    assert "垃圾厢房改造" in html and "方案A" in html and 'aria-current="page">v2' in html
    assert "第2版：调整桶位" in html and "¥120,000" in html
    assert 'id="pin-stage"' in html and 'name="x"' in html and "From the left %" in html


def test_query_count_does_not_grow_with_pins(dworld, opt, login_as):
    client, slug = login_as(dworld.resident), dworld.community.slug
    for n in range(2):
        _pin(client, slug, opt, 2, x=str(n))

    def count():
        with counted_queries() as statements:
            assert client.get(_url(slug, opt, 2)).status_code == 200
        return len(statements)

    count()  # the first request after posting warms what the session caches
    few = count()
    for n in range(18):
        _pin(client, slug, opt, 2, x=str(n + 10))
    assert _count(Pin) == 20
    count()
    assert count() == few


def test_hiding_a_pin_comment_hides_its_text_in_the_pin_list(dworld, opt, login_as, en):
    client, slug = login_as(dworld.resident), dworld.community.slug
    _pin(client, slug, opt, 2, body="难听的话")
    comment = db.session.execute(db.select(Comment)).scalar_one()
    client = login_as(dworld.committee)
    assert client.post(f"/c/{slug}/comments/{comment.id}/hide", data={"reason": "人身攻击"}).status_code == 303
    client = login_as(dworld.neighbour)
    html = client.get(_url(slug, opt, 2)).get_data(as_text=True)
    assert "难听的话" not in html and "Hidden by the committee: 人身攻击" in html
    assert 'data-pin="1"' in html


def test_a_comment_on_a_version(dworld, opt, login_as, en):
    client, slug = login_as(dworld.neighbour), dworld.community.slug
    response = client.post(_url(slug, opt, 1, "/comments"), data={"body": "v1 的颜色更好看"})
    assert response.status_code == 303 and "/v1#talk-" in response.headers["Location"]
    comment = db.session.execute(db.select(Comment)).scalar_one()
    assert comment.thread_id == opt.thread_id
    assert db.session.get(CommentVersion, comment.id).version_id == opt.versions[0].id
    html = client.get(_url(slug, opt, 1)).get_data(as_text=True)
    assert "v1 的颜色更好看" in html and f"/comments/{comment.id}" in html
    assert "v1 的颜色更好看" not in client.get(_url(slug, opt, 2)).get_data(as_text=True)


def test_a_comment_on_a_version_htmx_and_refused(dworld, opt, login_as, en):
    client, slug = login_as(dworld.neighbour), dworld.community.slug
    response = client.post(_url(slug, opt, 1, "/comments"), data={"body": "好"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith("<section") and 'id="version-comments"' in html and "<html" not in html
    assert "好" in html
    response = client.post(_url(slug, opt, 1, "/comments"), data={"body": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 422 and "Write something" in response.get_data(as_text=True)
    assert _count(CommentVersion) == 1
    assert client.post(_url(slug, opt, 1, "/comments"), data={"body": "x"}).status_code == 303


def test_pins_service_numbers_and_fractions(dworld, opt, app):
    from civic.community.rules import standing_of

    with app.test_request_context():
        st = standing_of(dworld.resident, dworld.community)
        version = opt.versions[1]
        made = [pins.add_pin(opt, version, version.cover, author=dworld.resident, standing=st, body=f"第{n}个",
                             x=pins.as_fraction(Decimal("33.333333")), y=Decimal("0"), now=opt.created_at)
                for n in range(3)]
        db.session.commit()
    assert [p.number for p in made] == [1, 2, 3]
    assert made[0].x == Decimal("0.33333")


def test_a_pin_on_the_second_picture(dworld, make_option, login_as, en):
    from civic.clock import utcnow
    from civic.designs import services
    from tests.designs.conftest import SPEC, plan_png, upload

    option = make_option(versions=0, published=False)
    services.add_version(option, dworld.project, actor=dworld.designer, uploads=[
        upload(plan_png("front")), upload(plan_png("side"), "side.png")], change_note="", spec=SPEC, now=utcnow())
    services.publish(option, dworld.project, actor=dworld.designer, now=utcnow())
    db.session.commit()
    client, slug = login_as(dworld.resident), dworld.community.slug
    response = _pin(client, slug, option, 1, file="1", body="侧面")
    assert response.headers["Location"].endswith("/v1?file=1#pin-1")
    pin = db.session.execute(db.select(Pin)).scalar_one()
    assert pin.file_id == option.versions[0].files[1].id
    cover = client.get(_url(slug, option, 1)).get_data(as_text=True)
    assert '<circle cx="25%"' not in cover and "on picture 2" in cover and "?file=1#pin-1" in cover
    second = client.get(_url(slug, option, 1, "?file=1")).get_data(as_text=True)
    assert '<circle cx="25%" cy="75%"' in second and 'name="file" value="1"' in second
