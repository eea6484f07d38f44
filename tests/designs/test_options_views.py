"""The option pages: list, create, edit, publish, the option page with its history, the project page section."""
from __future__ import annotations

import re

from civic.clock import utcnow
from civic.designs import services
from civic.designs.models import DesignOption, OptionVisit
from civic.extensions import db
from civic.notices.models import Notification, NoticeKind
from civic.projects.models import ProjectEvent, Stage
from civic.threads.models import ThreadKind  # noqa: F401  (threads hang under options)
from tests.designs.conftest import SPEC, plan_png, upload
from tests.querycount import counted_queries


def _url(dworld, tail: str = "") -> str:
    return f"/c/{dworld.community.slug}{tail}"


def _option_url(dworld, option) -> str:
    return _url(dworld, f"/designs/{option.id}")


def test_designer_creates_an_option_and_lands_on_its_first_upload(dworld, en, login_as):
    login_as(dworld.designer)
    page = en.get(_url(dworld, f"/projects/{dworld.project.id}/designs/new"))
    assert page.status_code == 200 and 'id="option-form"' in page.get_data(as_text=True)
    response = en.post(_url(dworld, f"/projects/{dworld.project.id}/designs/new"),
                       data={"title": "东侧绿地，封闭式厢房", "summary": "**封闭**，带洗手池"})
    option = db.session.execute(db.select(DesignOption)).scalar_one()
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/designs/{option.id}/versions/new")
    assert option.label == "A" and not option.is_published and "<strong>封闭</strong>" in option.summary_html


def test_a_refused_option_form_keeps_the_text(dworld, en, login_as):
    login_as(dworld.designer)
    response = en.post(_url(dworld, f"/projects/{dworld.project.id}/designs/new"),
                       data={"title": "长" * 81, "summary": "我写了很久的说明"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "我写了很久的说明" in html and "长" * 81 in html
    assert db.session.execute(db.select(db.func.count()).select_from(DesignOption)).scalar_one() == 0


def test_edit_changes_title_and_summary_only(dworld, en, login_as, make_option):
    option = make_option(versions=2)
    login_as(dworld.designer)
    assert "东侧绿地" in en.get(_option_url(dworld, option) + "/edit").get_data(as_text=True)
    response = en.post(_option_url(dworld, option) + "/edit", data={"title": "东侧绿地（改）", "summary": "新说明"})
    assert response.status_code == 303
    db.session.refresh(option)
    assert option.title == "东侧绿地（改）" and option.summary_html.strip() == "<p>新说明</p>"
    assert option.version_count == 2


def test_publish_plain_and_htmx(dworld, en, login_as, make_option):
    first = make_option(versions=1, published=False)
    second = make_option(title="西侧", versions=1, published=False)
    login_as(dworld.designer)
    page = en.get(_option_url(dworld, first)).get_data(as_text=True)
    assert 'id="publish-form"' in page and "Private draft" in page
    response = en.post(_option_url(dworld, first) + "/publish")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/designs/{first.id}")
    response = en.post(_option_url(dworld, second) + "/publish", headers={"HX-Request": "true"})
    # The whole page changes (the discussion opens too): htmx reloads it.
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Redirect"] == _option_url(dworld, second) and response.get_data() == b""
    db.session.expire_all()
    assert db.session.get(DesignOption, first.id).is_published and db.session.get(DesignOption, second.id).is_published
    again = en.post(_option_url(dworld, second) + "/publish", headers={"HX-Request": "true"})
    assert again.status_code == 422 and "already published" in again.get_data(as_text=True)


def test_option_page_shows_current_version_history_and_discussion(dworld, en, login_as, make_option):
    option = make_option(versions=3)
    login_as(dworld.resident)
    html = en.get(_option_url(dworld, option)).get_data(as_text=True)
    assert re.findall(r'<li class="version[^"]*" data-version="(\d+)"', html) == ["3", "2", "1"]
    assert "第3版：调整桶位" in html and "¥120,000" in html and "6 个桶位" in html
    versions = {v.number: v.id for v in option.versions}
    assert f"a={versions[2]}&amp;b={versions[3]}" in html and html.count('class="compare-link"') == 2
    assert f"/designs/{option.id}/v2" in html
    assert f'id="thread-{option.thread_id}"' in html  # the discussion
    assert "Upload a new version" not in html and 'id="publish-form"' not in html
    assert "林设计师 · 7号楼" in html


def test_what_changed_since_my_last_visit(dworld, en, login_as, make_option):
    option = make_option(versions=2)
    login_as(dworld.resident)
    first = en.get(_option_url(dworld, option)).get_data(as_text=True)
    assert "is-new" not in first and "since you last looked" not in first  # first visit: nothing marked
    visit = db.session.get(OptionVisit, (dworld.resident.id, option.id))
    assert visit.seen_version == 2
    for n in (3, 4):
        services.add_version(option, dworld.project, actor=dworld.designer, uploads=[upload(plan_png(f"v{n}"))],
                             change_note=f"v{n}", spec=SPEC, now=utcnow())
    db.session.commit()
    html = en.get(_option_url(dworld, option)).get_data(as_text=True)
    assert "2 new versions since you last looked on" in html
    assert re.findall(r'<li class="version is-new" data-version="(\d+)"', html) == ["4", "3"]
    assert html.count("is-new") == 2
    assert "is-new" not in en.get(_option_url(dworld, option)).get_data(as_text=True)


def test_the_seen_version_never_goes_backwards(dworld, make_option):
    from civic.designs import visits

    option = make_option(versions=3)
    visits.record_visit(dworld.resident.id, option, utcnow())
    visits.record_visit(dworld.resident.id, option, utcnow(), seen_version=1)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(OptionVisit, (dworld.resident.id, option.id)).seen_version == 3


def test_option_page_queries_do_not_grow_with_versions(dworld, client, login_as, make_option):
    small, big = make_option(versions=1), make_option(title="七版", versions=7)
    login_as(dworld.resident)
    client.get(_option_url(dworld, small))
    client.get(_option_url(dworld, big))
    with counted_queries() as few:
        assert client.get(_option_url(dworld, small)).status_code == 200
    with counted_queries() as many:
        assert client.get(_option_url(dworld, big)).status_code == 200
    assert len(many) == len(few), many


def test_index_lists_options_with_badges(dworld, en, login_as, make_option):
    make_option(versions=2)
    make_option(title="私下的方案", versions=1, published=False)
    login_as(dworld.designer)
    html = en.get(_url(dworld, f"/projects/{dworld.project.id}/designs")).get_data(as_text=True)
    assert "方案A" in html and "方案B" in html and "Private draft" in html and "v2" in html
    assert "/designs/matrix" in html and "/designs/compare" in html and "/designs/new" in html
    login_as(dworld.resident)
    html = en.get(_url(dworld, f"/projects/{dworld.project.id}/designs")).get_data(as_text=True)
    assert "方案A" in html and "私下的方案" not in html and "/designs/new" not in html


def test_project_page_has_a_design_section_and_timeline_links(dworld, en, login_as, make_option):
    option = make_option(versions=2, cost_yuan=90000)
    services.add_version(option, dworld.project, actor=dworld.designer, uploads=[upload(plan_png("v3"))],
                         change_note="v3", spec=SPEC, now=utcnow())
    db.session.commit()
    login_as(dworld.designer)
    html = en.get(_url(dworld, f"/projects/{dworld.project.id}")).get_data(as_text=True)
    assert 'class="project-designs"' in html and "方案A" in html and "New option" in html
    assert "published design option A “东侧绿地，封闭式厢房” (v2)." in html
    assert "uploaded v3 of design option A." in html
    assert html.count(f'href="/c/{dworld.community.slug}/designs/{option.id}"') >= 3
    kinds = {e.kind for e in db.session.execute(db.select(ProjectEvent)).scalars()}
    assert {"design_published", "design_version"} <= kinds


def test_project_page_section_hidden_before_design_stage(dworld, en, login_as):
    dworld.project.stage = Stage.DELIBERATING
    db.session.commit()
    login_as(dworld.resident)
    html = en.get(_url(dworld, f"/projects/{dworld.project.id}")).get_data(as_text=True)
    assert 'class="project-designs"' not in html


def test_notices_read_as_sentences(dworld, en, login_as, make_option):
    option = make_option(versions=1)
    now = utcnow()
    for kind in (NoticeKind.DESIGN_VERSION, NoticeKind.DESIGN_ADDRESSED):
        db.session.add(Notification(user_id=dworld.resident.id, community_id=dworld.community.id, kind=kind,
                                    summary="方案A v3", option_id=option.id, created_at=now))
    db.session.commit()
    login_as(dworld.resident)
    html = en.get(_url(dworld, "/notifications")).get_data(as_text=True)
    assert "A design you commented on has a new version: 方案A v3" in html
    assert "The designer responded to your comment in 方案A v3" in html
