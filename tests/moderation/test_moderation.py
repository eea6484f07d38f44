"""Moderation: reporting, the committee's queue, hide / unhide / dismiss, locking, and the controls macros."""
from __future__ import annotations

import pytest
from flask import g

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.community.models import Role
from civic.community.rules import standing_of
from civic.extensions import db
from civic.moderation.models import Report
from civic.notices.models import NoticeKind, Notification
from civic.search.models import SearchDocument
from civic.search.queries import search
from civic.threads.models import Comment, Thread
from tests.search import factories


@pytest.fixture
def place(make_household, make_member, grant):
    home = make_household()
    community = home.building.community
    author = make_member(home, display_name="张师傅")
    reporter = make_member(make_household(home.building), display_name="王阿姨")
    chair = make_member(make_household(home.building), display_name="陈书记")
    grant(chair, community, Role.RESIDENTS_COMMITTEE)
    proposal = factories.proposal(community, author, title="电梯太旧", body="加装电梯吧")
    comment = factories.comment(proposal, author, "物业不管停车")
    return {"community": community, "slug": community.slug, "author": author, "reporter": reporter, "home": home,
            "chair": chair, "proposal": proposal, "comment": comment}


@pytest.fixture
def as_user(client, login_as):
    def do(user):
        login_as(user)
        client.set_cookie("civic_lang", "en")
        return client

    return do


def _report(client, place, kind="comment", reason="spam", details="", **kw):
    item = place[kind]
    return client.post(f"/c/{place['slug']}/reports/new?{kind}={item.id}", data={"reason": reason, "details": details},
                       **kw)


def _audit(action: str) -> list[AuditEvent]:
    return db.session.execute(db.select(AuditEvent).where(AuditEvent.action == action)).scalars().all()


def _version(thread_id: int) -> int:
    return db.session.get(Thread, thread_id).version


# --- reporting ---------------------------------------------------------------------------------------

def test_report_once_per_item_and_the_committee_hears_of_it(place, as_user):
    client = as_user(place["reporter"])
    response = _report(client, place, reason="other", details="  骂人了  ")
    target = f"/c/{place['slug']}/proposals/{place['proposal'].id}#comment-{place['comment'].id}"
    assert response.status_code == 303 and response.headers["Location"] == target
    report = db.session.execute(db.select(Report)).scalar_one()
    assert report.comment_id == place["comment"].id and report.reason == "Something else: 骂人了"
    notices = db.session.execute(db.select(Notification).where(Notification.kind == NoticeKind.REPORT)).scalars().all()
    assert [n.user_id for n in notices] == [place["chair"].id] and notices[0].summary == "物业不管停车"
    again = _report(client, place, reason="spam")
    assert again.status_code == 303
    assert "already reported" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert db.session.query(Report).count() == 1
    page = client.get(f"/c/{place['slug']}/reports/new?comment={place['comment'].id}").get_data(as_text=True)
    assert "already reported" in page and "<form method=\"post\" action=\"/c/" not in page.split("<main")[1]


def test_a_second_reporter_does_not_notify_the_committee_again(place, as_user, make_member):
    _report(as_user(place["reporter"]), place)
    second = make_member(place["home"])
    assert _report(as_user(second), place, reason="hostile").status_code == 303
    assert db.session.query(Report).count() == 2
    assert db.session.query(Notification).filter_by(kind=NoticeKind.REPORT).count() == 1


def test_report_form_htmx_opens_inline_and_thanks_in_place(place, as_user):
    client = as_user(place["reporter"])
    url = f"/c/{place['slug']}/reports/new?proposal={place['proposal'].id}"
    page = client.get(url)
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    page_url = f"http://localhost/c/{place['slug']}/proposals/{place['proposal'].id}"
    fragment = client.get(url, headers={"HX-Request": "true", "HX-Current-URL": page_url})
    html = fragment.get_data(as_text=True)
    assert "HX-Request" in fragment.headers["Vary"] and "<html" not in html
    assert html.lstrip().startswith(f'<div class="report-slot" id="report-proposal-{place["proposal"].id}">')
    assert f'name="next" value="/c/{place["slug"]}/proposals/{place["proposal"].id}"' in html
    done = client.post(url, data={"reason": "misleading"}, headers={"HX-Request": "true"})
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "Thank you" in text and "<form" not in text
    assert db.session.query(Report).filter_by(proposal_id=place["proposal"].id).count() == 1


def test_report_needs_a_reason_and_keeps_the_text(place, as_user):
    client = as_user(place["reporter"])
    url = f"/c/{place['slug']}/reports/new?comment={place['comment'].id}"
    missing = client.post(url, data={"details": "我的话"})
    assert missing.status_code == 422 and "我的话" in missing.get_data(as_text=True)
    other = client.post(url, data={"reason": "other", "details": "  "}, headers={"HX-Request": "true"})
    assert other.status_code == 422 and "Please say in a few words" in other.get_data(as_text=True)
    long = client.post(url, data={"reason": "spam", "details": "长" * 151})
    assert long.status_code == 422 and "长" * 151 in long.get_data(as_text=True)
    assert db.session.query(Report).count() == 0


def test_who_may_report_what(place, as_user, make_member, make_household):
    slug, comment = place["slug"], place["comment"]
    elsewhere = make_household()
    foreign_proposal = factories.proposal(elsewhere.building.community, make_member(elsewhere), title="外面")
    client = as_user(place["reporter"])
    assert client.get(f"/c/{slug}/reports/new?proposal={foreign_proposal.id}").status_code == 404
    assert client.get(f"/c/{slug}/reports/new").status_code == 404
    assert client.get(f"/c/{slug}/reports/new?comment={comment.id}&proposal={place['proposal'].id}").status_code == 404
    assert client.get(f"/c/{slug}/reports/new?comment=abc").status_code == 404
    hidden = factories.comment(place["proposal"], place["author"], "已隐藏", hidden_at=utcnow())
    assert client.get(f"/c/{slug}/reports/new?comment={hidden.id}").status_code == 403
    author = as_user(place["author"])
    assert author.get(f"/c/{slug}/reports/new?comment={comment.id}").status_code == 403
    outsider = as_user(make_member())
    assert outsider.get(f"/c/{slug}/reports/new?comment={comment.id}").status_code == 404
    assert _report(outsider, place).status_code == 404


# --- the queue ---------------------------------------------------------------------------------------

def test_queue_is_for_the_committee_only(place, as_user, make_member):
    assert as_user(place["reporter"]).get(f"/c/{place['slug']}/moderation").status_code == 403
    assert as_user(make_member()).get(f"/c/{place['slug']}/moderation").status_code == 404
    assert as_user(place["chair"]).get(f"/c/{place['slug']}/moderation").status_code == 200


def test_queue_groups_reports_by_item_with_escaped_excerpts(place, as_user, make_member):
    hostile = factories.comment(place["proposal"], place["author"],
                                '<script>alert(1)</script> [x](javascript:alert(1))')
    for user in (place["reporter"], make_member(), place["chair"]):
        db.session.add(Report(community_id=place["community"].id, reporter_id=user.id, comment_id=hostile.id,
                              reason="<b>骂人</b>", created_at=utcnow()))
    db.session.add(Report(community_id=place["community"].id, reporter_id=place["reporter"].id,
                          proposal_id=place["proposal"].id, reason="重复", created_at=utcnow()))
    db.session.commit()
    html = as_user(place["chair"]).get(f"/c/{place['slug']}/moderation").get_data(as_text=True)
    assert "3 reports" in html and "1 reports" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html and "<b>骂人" not in html
    assert "&lt;b&gt;骂人&lt;/b&gt;" in html and html.count("&lt;b&gt;骂人") == 1  # reasons shown once each
    assert "张师傅 · " in html
    assert f'href="/c/{place["slug"]}/proposals/{place["proposal"].id}#comment-{hostile.id}"' in html
    assert f"/c/{place['slug']}/comments/{hostile.id}/dismiss-reports" in html
    fragment = as_user(place["chair"]).get(f"/c/{place['slug']}/moderation", headers={"HX-Request": "true"})
    assert fragment.get_data(as_text=True).lstrip().startswith('<section id="moderation_queue">')
    assert "HX-Request" in fragment.headers["Vary"]


def test_queue_query_count_does_not_grow_with_items(place, as_user, make_member):
    client = as_user(place["chair"])
    url = f"/c/{place['slug']}/moderation"

    def report(item_kind, item, user):
        db.session.add(Report(community_id=place["community"].id, reporter_id=user.id, reason="x", created_at=utcnow(),
                              **{f"{item_kind}_id": item.id}))
        db.session.commit()

    report("comment", place["comment"], place["reporter"])
    report("proposal", place["proposal"], place["reporter"])
    hidden = factories.comment(place["proposal"], place["reporter"], "一", hidden_at=utcnow())
    few = factories.count_queries(lambda: client.get(url))
    for i in range(8):
        author = make_member()
        c = factories.comment(place["proposal"] if i % 2 else factories.project(place["community"]), author, f"评{i}")
        report("comment", c, place["reporter"])
        report("proposal", factories.proposal(place["community"], author, title=f"提{i}"), place["reporter"])
        factories.comment(place["proposal"], author, f"隐{i}", hidden_at=utcnow())
    assert hidden and factories.count_queries(lambda: client.get(url)) == few


def test_nav_shows_the_moderation_link_with_open_reports_to_the_committee_only(place, as_user):
    _report(as_user(place["reporter"]), place)
    resident_nav = as_user(place["reporter"]).get(f"/c/{place['slug']}/").get_data(as_text=True).split("<main")[0]
    assert "/moderation" not in resident_nav
    nav = as_user(place["chair"]).get(f"/c/{place['slug']}/").get_data(as_text=True).split("<main")[0]
    assert f'href="/c/{place["slug"]}/moderation"' in nav and "(1 open reports)" in nav


# --- hide, unhide, dismiss ---------------------------------------------------------------------------

def test_hide_and_unhide_a_comment(place, as_user):
    _report(as_user(place["reporter"]), place)
    comment, slug = place["comment"], place["slug"]
    before = _version(comment.thread_id)
    client = as_user(place["chair"])
    back = f"/c/{slug}/moderation"
    response = client.post(f"/c/{slug}/comments/{comment.id}/hide", data={"reason": "人身攻击", "next": back})
    assert response.status_code == 303 and response.headers["Location"] == back
    hidden = db.session.get(Comment, comment.id)
    assert hidden.hidden_at and hidden.hidden_reason == "人身攻击" and hidden.hidden_by_id == place["chair"].id
    assert hidden.changed_version == _version(comment.thread_id) == before + 1
    report = db.session.execute(db.select(Report)).scalar_one()
    assert report.resolved_at and report.resolution == "hidden" and report.resolved_by_id == place["chair"].id
    assert [e.target for e in _audit("moderation.hide")] == [f"comment:{comment.id}"]
    assert search(place["community"], "停车").documents == []
    response = client.post(f"/c/{slug}/comments/{comment.id}/unhide", data={"next": "//evil.example/"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/c/{slug}/proposals/{place['proposal'].id}#comment-{comment.id}"
    shown = db.session.get(Comment, comment.id)
    assert shown.hidden_at is None and shown.hidden_reason == "" and _version(comment.thread_id) == before + 2
    assert [d.object_id for d in search(place["community"], "停车").documents] == [comment.id]
    assert len(_audit("moderation.unhide")) == 1


def test_hide_and_unhide_a_proposal_takes_its_comments_out_of_search(place, as_user):
    proposal, slug = place["proposal"], place["slug"]
    client = as_user(place["chair"])
    assert client.post(f"/c/{slug}/proposals/{proposal.id}/hide", data={"reason": "广告"}).status_code == 303
    assert db.session.query(SearchDocument).filter_by(kind="proposal").count() == 0
    assert search(place["community"], "电梯").documents == [] and search(place["community"], "停车").documents == []
    assert _audit("moderation.hide")[0].target == f"proposal:{proposal.id}"
    assert client.post(f"/c/{slug}/proposals/{proposal.id}/unhide").status_code == 303
    assert len(search(place["community"], "电梯").documents) == 1
    assert len(search(place["community"], "停车").documents) == 1


def test_hide_htmx_answers_with_the_controls_in_their_new_state(place, as_user):
    comment, slug = place["comment"], place["slug"]
    client = as_user(place["chair"])
    response = client.post(f"/c/{slug}/comments/{comment.id}/hide", data={"reason": "跑题"},
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "comment-hidden"
    assert "HX-Request" in response.headers["Vary"] and "<html" not in html
    assert html.lstrip().startswith(f'<div class="moderation-controls" id="moderation-comment-{comment.id}">')
    assert "Hidden by the committee: 跑题" in html and f"/comments/{comment.id}/unhide" in html
    again = client.post(f"/c/{slug}/comments/{comment.id}/unhide", headers={"HX-Request": "true"})
    assert again.headers["HX-Trigger"] == "comment-unhidden"
    assert f"/comments/{comment.id}/hide" in again.get_data(as_text=True)


def test_the_hide_form_opens_inline_or_as_a_page(place, as_user):
    comment, slug = place["comment"], place["slug"]
    client = as_user(place["chair"])
    url = f"/c/{slug}/comments/{comment.id}/hide"
    page = client.get(url, headers={"Referer": f"http://localhost/c/{slug}/moderation"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html and f'action="{url}"' in html
    assert f'name="next" value="/c/{slug}/moderation"' in html and "物业不管停车" in html
    fragment = client.get(url, headers={"HX-Request": "true", "HX-Current-URL": f"http://localhost/c/{slug}/"})
    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"] and "<html" not in text
    assert f'hx-post="{url}"' in text and f'name="next" value="/c/{slug}/"' in text
    assert as_user(place["reporter"]).get(url).status_code == 403
    assert db.session.get(Comment, comment.id).hidden_at is None


def test_hide_without_a_usable_reason_is_refused_with_the_text_kept(place, as_user):
    comment, slug = place["comment"], place["slug"]
    client = as_user(place["chair"])
    empty = client.post(f"/c/{slug}/comments/{comment.id}/hide", data={"reason": "  "})
    assert empty.status_code == 422 and "Please give a reason." in empty.get_data(as_text=True)
    long = "理" * 201
    plain = client.post(f"/c/{slug}/comments/{comment.id}/hide", data={"reason": long})
    assert plain.status_code == 422 and f'value="{long}"' in plain.get_data(as_text=True)
    fragment = client.post(f"/c/{slug}/comments/{comment.id}/hide", data={"reason": long},
                           headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 422 and f'value="{long}"' in html and '<form method="post"' in html
    assert db.session.get(Comment, comment.id).hidden_at is None and _audit("moderation.hide") == []


def test_hiding_twice_says_so_without_a_500(place, as_user):
    client = as_user(place["chair"])
    url = f"/c/{place['slug']}/comments/{place['comment'].id}/hide"
    client.post(url, data={"reason": "x"})
    again = client.post(url, data={"reason": "y"})
    assert again.status_code == 303 and "already hidden" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert client.post(url, data={"reason": "y"}, headers={"HX-Request": "true"}).status_code == 422
    assert len(_audit("moderation.hide")) == 1


def test_dismiss_resolves_reports_without_hiding(place, as_user):
    _report(as_user(place["reporter"]), place, kind="proposal")
    client = as_user(place["chair"])
    url = f"/c/{place['slug']}/proposals/{place['proposal'].id}/dismiss-reports"
    response = client.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response.headers["HX-Trigger"] == "reports-dismissed"
    report = db.session.execute(db.select(Report)).scalar_one()
    assert report.resolution == "dismissed" and report.resolved_at is not None
    assert db.session.get(type(place["proposal"]), place["proposal"].id).hidden_at is None
    assert [e.action for e in _audit("moderation.dismiss")] == ["moderation.dismiss"]
    nothing = client.post(url)
    assert nothing.status_code == 303 and len(_audit("moderation.dismiss")) == 1


def test_only_the_committee_of_this_community_moderates_and_never_its_own_words(place, as_user, make_member,
                                                                                make_household, grant):
    slug, comment = place["slug"], place["comment"]
    resident = as_user(place["reporter"])
    assert resident.post(f"/c/{slug}/comments/{comment.id}/hide", data={"reason": "x"}).status_code == 403
    elsewhere = make_household()
    other_chair = make_member(elsewhere)
    grant(other_chair, elsewhere.building.community, Role.ADMIN)
    client = as_user(other_chair)
    assert client.post(f"/c/{slug}/comments/{comment.id}/hide", data={"reason": "x"}).status_code == 404
    assert client.post(f"/c/{elsewhere.building.community.slug}/comments/{comment.id}/hide",
                       data={"reason": "x"}).status_code == 404
    own = factories.comment(place["proposal"], place["chair"], "我自己的话")
    assert as_user(place["chair"]).post(f"/c/{slug}/comments/{own.id}/hide", data={"reason": "x"}).status_code == 403
    assert db.session.get(Comment, comment.id).hidden_at is None


# --- locking -----------------------------------------------------------------------------------------

def test_lock_and_unlock_a_thread(place, as_user):
    thread_id, slug = place["proposal"].thread_id, place["slug"]
    before = _version(thread_id)
    client = as_user(place["chair"])
    response = client.post(f"/c/{slug}/threads/{thread_id}/lock", data={"reason": "争吵过度"})
    assert response.status_code == 303 and response.headers["Location"] == f"/c/{slug}/proposals/{place['proposal'].id}"
    thread = db.session.get(Thread, thread_id)
    assert thread.is_locked and thread.locked_reason == "争吵过度" and thread.locked_by_id == place["chair"].id
    assert thread.locked_at is not None and thread.version == before + 1
    assert [e.target for e in _audit("moderation.lock")] == [f"thread:{thread_id}"]
    fragment = client.post(f"/c/{slug}/threads/{thread_id}/unlock", headers={"HX-Request": "true"})
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and fragment.headers["HX-Trigger"] == "thread-unlocked"
    assert html.lstrip().startswith(f'<div class="moderation-controls lock-controls" id="thread-lock-{thread_id}">')
    assert f"/threads/{thread_id}/lock" in html
    thread = db.session.get(Thread, thread_id)
    assert not thread.is_locked and thread.locked_reason == "" and thread.version == before + 2
    assert len(_audit("moderation.unlock")) == 1


def test_lock_needs_a_reason_and_the_committee(place, as_user):
    thread_id, slug = place["proposal"].thread_id, place["slug"]
    resident = as_user(place["reporter"])
    assert resident.post(f"/c/{slug}/threads/{thread_id}/lock", data={"reason": "x"}).status_code == 403
    client = as_user(place["chair"])
    assert client.post(f"/c/{slug}/threads/{thread_id}/lock", data={"reason": ""}).status_code == 422
    htmx = client.post(f"/c/{slug}/threads/{thread_id}/lock", data={"reason": ""}, headers={"HX-Request": "true"})
    assert htmx.status_code == 422 and "Please give a reason." in htmx.get_data(as_text=True)
    assert client.post(f"/c/{slug}/threads/999999/lock", data={"reason": "x"}).status_code == 404
    assert not db.session.get(Thread, thread_id).is_locked


# --- the macros --------------------------------------------------------------------------------------

def _render(app, user, source: str, **context) -> str:
    with app.test_request_context("/c/x/proposals/1"):
        g.standing = standing_of(user, context["community"])
        return app.jinja_env.from_string(source).render(**context)


CONTROLS = ('{% from "moderation/_controls.html" import moderation_controls %}'
            '{{ moderation_controls(community, kind, item) }}')
LOCK = '{% from "moderation/_controls.html" import thread_lock_controls %}{{ thread_lock_controls(community, thread) }}'


def test_controls_macro_per_viewer(app, place):
    ctx = {"community": place["community"], "kind": "comment", "item": place["comment"]}
    slug, cid = place["slug"], place["comment"].id
    resident = _render(app, place["reporter"], CONTROLS, **ctx)
    assert f'href="/c/{slug}/reports/new?comment={cid}"' in resident
    assert f'hx-get="/c/{slug}/reports/new?comment={cid}"' in resident
    assert "/hide" not in resident
    assert _render(app, place["author"], CONTROLS, **ctx).strip() == ""
    committee = _render(app, place["chair"], CONTROLS, **ctx)
    assert f'href="/c/{slug}/comments/{cid}/hide" hx-get="/c/{slug}/comments/{cid}/hide"' in committee
    assert "<form" not in committee  # the reason form comes on demand
    place["comment"].hidden_at, place["comment"].hidden_reason = utcnow(), "<i>x</i>"
    hidden = _render(app, place["chair"], CONTROLS, **ctx)
    assert f"/comments/{cid}/unhide" in hidden and "&lt;i&gt;x&lt;/i&gt;" in hidden and "Report" not in hidden
    assert 'name="csrf_token"' in hidden and 'name="next" value="/c/x/proposals/1"' in hidden
    assert _render(app, place["reporter"], CONTROLS, **ctx).strip() == ""


def test_lock_macro_is_for_the_committee(app, place):
    ctx = {"community": place["community"], "thread": db.session.get(Thread, place["proposal"].thread_id)}
    assert _render(app, place["reporter"], LOCK, **ctx).strip() == ""
    html = _render(app, place["chair"], LOCK, **ctx)
    assert f"/threads/{ctx['thread'].id}/lock" in html and 'name="reason"' in html
    ctx["thread"].is_locked, ctx["thread"].locked_reason = True, "吵架"
    assert f"/threads/{ctx['thread'].id}/unlock" in _render(app, place["chair"], LOCK, **ctx)
