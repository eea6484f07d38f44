"""Notifications: the list (own, this community), marking read, the badge, the opt-out, escaping, htmx."""
from __future__ import annotations

import pytest

from civic.clock import utcnow
from civic.extensions import db
from civic.notices import queries
from civic.notices.models import NoticeKind, NoticeOptOut, Notification
from civic.notices.services import notify, set_wanted
from tests.search import factories


@pytest.fixture
def place(make_household, make_member):
    home = make_household()
    community = home.building.community
    me = make_member(home, display_name="李老伯")
    neighbour = make_member(make_household(home.building), display_name="王阿姨")
    proposal = factories.proposal(community, me, title="楼道太暗")
    return {"community": community, "me": me, "neighbour": neighbour, "proposal": proposal,
            "slug": community.slug, "building": home.building}


@pytest.fixture
def me(client, login_as, place):
    login_as(place["me"])
    client.set_cookie("civic_lang", "en")
    return client


def _send(place, user, kind=NoticeKind.COMMENT, *, summary="楼道太暗", community=None, **ids):
    community = community or place["community"]
    ids = ids or {"proposal_id": place["proposal"].id}
    actor = place["neighbour"] if user.id != place["neighbour"].id else place["me"]
    notify([user.id], community_id=community.id, kind=kind, now=utcnow(), actor=actor, summary=summary, **ids)
    db.session.commit()
    return db.session.execute(db.select(Notification).order_by(Notification.id.desc())).scalars().first()


def _list_html(client, place, **kw) -> str:
    return client.get(f"/c/{place['slug']}/notifications", **kw).get_data(as_text=True)


def test_list_shows_own_notices_in_this_community_newest_first(place, me, make_household, make_member):
    first = _send(place, place["me"], summary="第一条")
    comment = factories.comment(place["proposal"], place["neighbour"])
    second = _send(place, place["me"], NoticeKind.REPLY, summary="第二条", proposal_id=place["proposal"].id,
                   comment_id=comment.id)
    _send(place, place["neighbour"], summary="别人的通知")
    elsewhere = make_household()
    make_member(elsewhere)
    notify([place["me"].id], community_id=elsewhere.building.community.id, kind=NoticeKind.COMMENT, now=utcnow(),
           summary="别的小区")
    db.session.commit()
    html = _list_html(me, place)
    assert "别人的通知" not in html and "别的小区" not in html
    assert html.index("第二条") < html.index("第一条")
    assert "王阿姨 · " in html and "replied to your comment: “第二条”" in html
    assert f'href="/c/{place["slug"]}/notifications/{second.id}/open"' in html
    assert html.count('class="notice-item unread"') == 2 and f'id="notice-{first.id}"' in html


def test_opening_marks_read_and_redirects_to_the_target(place, me):
    comment = factories.comment(place["proposal"], place["neighbour"])
    notice = _send(place, place["me"], NoticeKind.REPLY, proposal_id=place["proposal"].id, comment_id=comment.id)
    response = me.get(f"/c/{place['slug']}/notifications/{notice.id}/open")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/c/{place['slug']}/proposals/{place['proposal'].id}#comment-{comment.id}"
    assert db.session.get(Notification, notice.id).read_at is not None


def test_links_lead_to_projects_and_reports_to_the_queue(place, me):
    project = factories.project(place["community"])
    stage = _send(place, place["me"], NoticeKind.STAGE, project_id=project.id)
    report = _send(place, place["me"], NoticeKind.REPORT, proposal_id=place["proposal"].id)
    assert me.get(f"/c/{place['slug']}/notifications/{stage.id}/open").headers["Location"] == \
        f"/c/{place['slug']}/projects/{project.id}"
    assert me.get(f"/c/{place['slug']}/notifications/{report.id}/open").headers["Location"] == \
        f"/c/{place['slug']}/moderation"


def test_only_ones_own_notification_can_be_read_or_opened(place, me, make_household):
    theirs = _send(place, place["neighbour"])
    slug = place["slug"]
    assert me.post(f"/c/{slug}/notifications/{theirs.id}/read").status_code == 404
    assert me.get(f"/c/{slug}/notifications/{theirs.id}/open").status_code == 404
    mine_elsewhere = _send(place, place["me"], community=make_household().building.community)
    assert me.post(f"/c/{slug}/notifications/{mine_elsewhere.id}/read").status_code == 404
    assert db.session.get(Notification, theirs.id).read_at is None
    assert db.session.get(Notification, mine_elsewhere.id).read_at is None


def test_non_members_get_404(client, login_as, place, make_member):
    login_as(make_member())
    assert client.get(f"/c/{place['slug']}/notifications").status_code == 404


def test_mark_read_plain_redirects(place, me):
    notice = _send(place, place["me"])
    response = me.post(f"/c/{place['slug']}/notifications/{notice.id}/read")
    assert response.status_code == 303 and response.headers["Location"] == f"/c/{place['slug']}/notifications"
    assert db.session.get(Notification, notice.id).read_at is not None


def test_mark_read_htmx_swaps_the_list_and_the_badge(place, me):
    one, two = _send(place, place["me"]), _send(place, place["me"])
    response = me.post(f"/c/{place['slug']}/notifications/{one.id}/read", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Trigger"] == "notifications-read"
    assert html.lstrip().startswith('<section id="notice_list">') and "<html" not in html
    assert '<span id="notice-badge" class="count-badge" hx-swap-oob="true"><span aria-hidden="true">1</span>' in html
    assert html.count('class="notice-item unread"') == 1 and f'id="notice-{two.id}"' in html


def test_read_all_only_touches_this_member_in_this_community(place, me):
    mine = [_send(place, place["me"]) for _ in range(3)]
    theirs = _send(place, place["neighbour"])
    response = me.post(f"/c/{place['slug']}/notifications/read-all", headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'hx-swap-oob="true"></span>' in response.get_data(as_text=True)
    assert all(db.session.get(Notification, n.id).read_at for n in mine)
    assert db.session.get(Notification, theirs.id).read_at is None
    plain = me.post(f"/c/{place['slug']}/notifications/read-all")
    assert plain.status_code == 303


def test_badge_counts_unread_in_the_nav(place, me):
    html = _list_html(me, place)
    assert '<span id="notice-badge" class="count-badge"></span>' in html
    for _ in range(3):
        _send(place, place["me"])
    html = me.get(f"/c/{place['slug']}/").get_data(as_text=True)
    assert '<span aria-hidden="true">3</span><span class="visually-hidden">(3 unread)</span>' in html


def test_badge_says_99_plus_and_counting_stops_early(place, me):
    notify_rows = [{"user_id": place["me"].id, "community_id": place["community"].id, "kind": NoticeKind.COMMENT,
                    "summary": "x", "created_at": utcnow()} for _ in range(120)]
    db.session.execute(db.insert(Notification), notify_rows)
    db.session.commit()
    assert queries.unread_count(place["me"].id, place["community"].id) == queries.BADGE_CAP
    assert '<span aria-hidden="true">99+</span>' in me.get(f"/c/{place['slug']}/").get_data(as_text=True)


def test_list_is_paged_by_fifty(place, me):
    rows = [{"user_id": place["me"].id, "community_id": place["community"].id, "kind": NoticeKind.COMMENT,
             "summary": f"n{i}", "created_at": utcnow()} for i in range(55)]
    db.session.execute(db.insert(Notification), rows)
    db.session.commit()
    first = _list_html(me, place)
    assert first.count('<li class="notice-item') == 50 and "Older" in first
    second = _list_html(me, place, query_string={"page": 2})
    assert second.count('<li class="notice-item') == 5 and "Newer" in second


def test_hostile_summary_and_actor_name_are_escaped(place, me):
    place["neighbour"].display_name = "<img src=x>"
    db.session.commit()
    _send(place, place["me"], summary='<script>alert(1)</script><a hx-get="/x">')
    html = _list_html(me, place)
    assert "<script>alert" not in html and "<img" not in html and 'hx-get="/x"' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x&gt;" in html


def test_opt_out_is_respected_by_notify(place, me):
    slug = place["slug"]
    checked = '<input checked id="new_in_building" name="new_in_building" type="checkbox"'
    assert checked in _list_html(me, place)
    response = me.post(f"/c/{slug}/notifications/settings", data={})
    assert response.status_code == 303
    assert db.session.query(NoticeOptOut).filter_by(user_id=place["me"].id).count() == 1
    sent = notify([place["me"].id, place["neighbour"].id], community_id=place["community"].id,
                  kind=NoticeKind.NEW_IN_BUILDING, now=utcnow(), summary="新提议")
    assert sent == 1
    assert notify([place["me"].id], community_id=place["community"].id, kind=NoticeKind.REPLY, now=utcnow()) == 1
    assert checked not in _list_html(me, place) and 'id="new_in_building"' in _list_html(me, place)
    fragment = me.post(f"/c/{slug}/notifications/settings", data={"new_in_building": "y"},
                       headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and html.lstrip().startswith('<section id="notice_settings"')
    assert "Saved." in html and "HX-Request" in fragment.headers["Vary"]
    assert db.session.query(NoticeOptOut).filter_by(user_id=place["me"].id).count() == 0


def test_switching_off_twice_keeps_one_row(place):
    for _ in range(2):
        set_wanted(place["me"].id, place["community"].id, NoticeKind.NEW_IN_BUILDING, False)
    db.session.commit()
    assert db.session.query(NoticeOptOut).count() == 1
    with pytest.raises(ValueError):
        set_wanted(place["me"].id, place["community"].id, NoticeKind.REPLY, False)


def test_htmx_get_of_the_list_returns_only_the_block(place, me):
    _send(place, place["me"])
    response = me.get(f"/c/{place['slug']}/notifications", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="notice_list">') and "hx-swap-oob" not in html
    assert "HX-Request" in response.headers["Vary"]


def test_list_query_count_does_not_grow_with_notices(place, me, make_member):
    _send(place, place["me"])
    few = factories.count_queries(lambda: _list_html(me, place))
    for i in range(12):
        actor = make_member(display_name=f"邻居{i}")
        notify([place["me"].id], community_id=place["community"].id, kind=NoticeKind.COMMENT, now=utcnow(),
               actor=actor, proposal_id=place["proposal"].id, summary=f"第{i}条")
    db.session.commit()
    assert factories.count_queries(lambda: _list_html(me, place)) == few
