"""Project pages: the hub, stage moves (plain and htmx), writing and editing, and community isolation."""
import re

import pytest

from civic.audit.models import AuditEvent
from civic.extensions import db
from civic.projects.models import Category, Project, ProjectEvent, Stage
from civic.proposals.models import ProposalStatus

HX = {"HX-Request": "true"}


@pytest.fixture
def en(client):
    client.set_cookie("civic_lang", "en")
    return client


def _url(project, suffix=""):
    return f"/c/{project.community.slug}/projects/{project.id}{suffix}"


def _stage_events(project):
    return db.session.execute(db.select(ProjectEvent).where(ProjectEvent.project_id == project.id,
                                                            ProjectEvent.kind == "stage_moved")).scalars().all()


# --- the hub page ---------------------------------------------------------------------------------------

def test_hub_shows_strip_description_buildings_proposals_and_timeline(en, login_as, place, make_project,
                                                                      make_proposal):
    project = make_project(description_md="**开放式垃圾点**<script>alert(1)</script>")
    make_proposal(project, title="夏天垃圾点臭", seconds=[(place["home"], place["committee"])])
    login_as(place["resident"])
    response = en.get(_url(project))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert '<ol class="stage-strip">' in html
    assert re.search(r'<li class="current" aria-current="step">\s*<span class="stage-name">Raised</span>', html)
    assert html.count('aria-current="step"') == 1
    assert "<strong>开放式垃圾点</strong>" in html and "<script>alert" not in html
    assert place["buildings"][0].name in html
    assert "夏天垃圾点臭" in html and "1 households seconded" in html
    assert f'/c/{project.community.slug}/proposals/' in html
    assert "陈书记 · " + place["buildings"][0].name + " created the project." in html
    assert 'id="thread-' in html
    assert "Move to another stage" not in html  # residents get no stage form
    assert "Edit project" not in html


def test_shelved_project_is_shown_off_the_line(en, login_as, place, make_project):
    project = make_project()
    project.stage = Stage.SHELVED
    db.session.commit()
    login_as(place["resident"])
    html = en.get(_url(project)).get_data(as_text=True)
    assert 'aria-current="step"' not in html
    assert '<p class="stage-shelved"><strong>Shelved</strong>' in html


def test_timeline_is_newest_first_and_shows_the_reason_escaped(en, login_as, place, make_project):
    project = make_project()
    login_as(place["committee"])
    en.post(_url(project, "/stage"), data={"to": "deliberating", "reason": "<b>居民</b>意见集中"})
    html = en.get(_url(project)).get_data(as_text=True)
    timeline = html.split('class="timeline"')[1]
    assert timeline.index("moved the project from Raised to Deliberating") < timeline.index("created the project")
    assert "&lt;b&gt;居民&lt;/b&gt;意见集中" in timeline


def test_unknown_event_kinds_are_shown_generically(en, login_as, place, make_project):
    from civic.clock import utcnow
    from civic.projects import timeline

    project = make_project()
    timeline.add(project, "vote_opened", None, utcnow(), meeting_id=3)
    db.session.commit()
    login_as(place["resident"])
    assert "Someone: vote opened" in en.get(_url(project)).get_data(as_text=True)


def test_hidden_proposal_title_is_not_shown_to_residents(en, login_as, place, make_project, make_proposal):
    from civic.clock import utcnow

    project = make_project()
    proposal = make_proposal(project, title="不该看到的标题")
    proposal.hidden_at = utcnow()
    draft = make_proposal(project, title="草稿标题", status=ProposalStatus.DRAFT)
    db.session.commit()
    login_as(place["spouse"])
    html = en.get(_url(project)).get_data(as_text=True)
    assert "不该看到的标题" not in html and "A proposal hidden by the committee" in html
    assert draft.title not in html


def test_hub_htmx_get_returns_only_the_status_block(en, login_as, place, make_project):
    project = make_project()
    login_as(place["resident"])
    response = en.get(_url(project), headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith('<section id="project_status"') and "<html" not in html
    assert "About this project" not in html


# --- moving stage ---------------------------------------------------------------------------------------

def test_committee_sees_the_allowed_moves_as_radios(en, login_as, place, make_project):
    project = make_project()
    project.stage = Stage.DELIBERATING
    db.session.commit()
    login_as(place["committee"])
    html = en.get(_url(project)).get_data(as_text=True)
    offered = re.findall(r'<input[^>]*name="to"[^>]*value="(\w+)"', html)
    assert offered == ["designing", "voting", "raised", "shelved"]
    assert f'hx-post="{_url(project, "/stage")}"' in html and f'action="{_url(project, "/stage")}"' in html


def test_done_project_offers_no_move(en, login_as, place, make_project):
    project = make_project()
    project.stage = Stage.DONE
    db.session.commit()
    login_as(place["committee"])
    html = en.get(_url(project)).get_data(as_text=True)
    assert 'name="to"' not in html and "its stage no longer changes" in html


def test_plain_move_redirects_303(en, login_as, place, make_project):
    project = make_project()
    login_as(place["committee"])
    response = en.post(_url(project, "/stage"), data={"to": "deliberating", "reason": "进入议事"})
    assert response.status_code == 303 and response.headers["Location"].endswith(_url(project))
    db.session.refresh(project)
    assert project.stage is Stage.DELIBERATING and len(_stage_events(project)) == 1
    page = en.get(_url(project)).get_data(as_text=True)
    assert "The project is now at the stage: Deliberating." in page


def test_htmx_move_returns_only_the_status_block(en, login_as, place, make_project):
    project = make_project()
    login_as(place["committee"])
    response = en.post(_url(project, "/stage"), data={"to": "shelved", "reason": "资金未落实"}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Trigger"] == "stage-moved"
    assert html.lstrip().startswith('<section id="project_status"') and "<html" not in html
    assert '<p class="stage-shelved"><strong>Shelved</strong>' in html and "资金未落实" in html
    assert '<p class="flash" role="status">The project is now at the stage: Shelved.</p>' in html
    db.session.refresh(project)
    assert project.stage is Stage.SHELVED


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_move_without_reason_is_422_and_keeps_the_choice(en, login_as, place, make_project, headers):
    project = make_project()
    login_as(place["committee"])
    response = en.post(_url(project, "/stage"), data={"to": "deliberating", "reason": " "}, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Give a short reason." in html
    assert re.search(r'<input checked[^>]*value="deliberating"|<input[^>]*value="deliberating"[^>]*checked', html)
    assert ("<html" in html) is (not headers)
    db.session.refresh(project)
    assert project.stage is Stage.RAISED and _stage_events(project) == []


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_disallowed_move_is_422_with_the_reason_kept(en, login_as, place, make_project, headers):
    project = make_project()
    login_as(place["committee"])
    response = en.post(_url(project, "/stage"), data={"to": "done", "reason": "我写的理由要留着"}, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "That move is not possible from the current stage." in html
    assert "我写的理由要留着</textarea>" in html
    db.session.refresh(project)
    assert project.stage is Stage.RAISED


def test_too_long_reason_is_422_with_text_kept(en, login_as, place, make_project):
    project = make_project()
    login_as(place["committee"])
    reason = "长" * 201
    response = en.post(_url(project, "/stage"), data={"to": "deliberating", "reason": reason})
    assert response.status_code == 422 and reason in response.get_data(as_text=True)


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_resident_posting_a_stage_move_gets_403(client, login_as, place, make_project, headers):
    project = make_project()
    login_as(place["resident"])
    response = client.post(_url(project, "/stage"), data={"to": "deliberating", "reason": "我想推进"},
                           headers=headers)
    assert response.status_code == 403
    db.session.refresh(project)
    assert project.stage is Stage.RAISED and _stage_events(project) == []


def test_move_works_with_csrf_on(make_app, place, make_project):
    from tests.conftest import csrf_token_from, login

    project = make_project()
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    login(client, place["committee"].username, csrf_token=token)
    token = csrf_token_from(client.get(_url(project)).get_data(as_text=True))
    response = client.post(_url(project, "/stage"), data={"to": "deliberating", "reason": "进入议事",
                                                          "csrf_token": token})
    assert response.status_code == 303


# --- isolation ------------------------------------------------------------------------------------------

def test_another_communitys_project_is_404(client, login_as, place, make_project):
    foreign = make_project(place["other"], buildings=[])
    login_as(place["committee"])  # committee here, nothing there
    own_slug = place["community"].slug
    for path in [f"/c/{own_slug}/projects/{foreign.id}", f"/c/{own_slug}/projects/{foreign.id}/edit"]:
        assert client.get(path).status_code == 404, path
        assert client.get(path, headers=HX).status_code == 404, path
    response = client.post(f"/c/{own_slug}/projects/{foreign.id}/stage", data={"to": "deliberating", "reason": "越权"})
    assert response.status_code == 404
    assert client.get(_url(foreign)).status_code == 404  # not a member of the other community at all
    db.session.refresh(foreign)
    assert foreign.stage is Stage.RAISED


def test_outsider_gets_404_for_list_and_hub(client, login_as, place, make_project):
    project = make_project()
    login_as(place["outsider"])
    slug = place["community"].slug
    for path in [f"/c/{slug}/projects", _url(project), f"/c/{slug}/projects/new"]:
        assert client.get(path).status_code == 404, path


# --- writing and editing --------------------------------------------------------------------------------

def _form(place, **overrides):
    return {"title": "电动车充电棚", "description": "楼道里充电太危险。", "category": "parking_charging",
            "buildings": [b.id for b in place["buildings"]], **overrides}


def test_new_project_form_and_create(en, login_as, place):
    login_as(place["committee"])
    slug = place["community"].slug
    page = en.get(f"/c/{slug}/projects/new").get_data(as_text=True)
    assert "Parking / charging" in page and place["buildings"][1].name in page
    response = en.post(f"/c/{slug}/projects/new", data=_form(place))
    assert response.status_code == 303
    project = db.session.execute(db.select(Project).where(Project.title == "电动车充电棚")).scalar_one()
    assert response.headers["Location"].endswith(f"/projects/{project.id}")
    assert project.category is Category.PARKING_CHARGING and len(project.buildings) == 2
    assert project.created_by_id == place["committee"].id


def test_new_project_groups_buildings_by_micro_grid(en, login_as, place, make_building):
    place["buildings"][0].grid = "第一网格"
    make_building(place["community"], name="30号楼", grid="第二网格")
    db.session.commit()
    login_as(place["committee"])
    page = en.get(f"/c/{place['community'].slug}/projects/new").get_data(as_text=True)
    assert page.index("<legend>第一网格</legend>") < page.index("<legend>第二网格</legend>") \
        < page.index("<legend>Other buildings</legend>")


@pytest.mark.parametrize("overrides, message", [
    ({"title": "长" * 81}, "at most 80 characters"),
    ({"title": "  "}, "Give the project a title."),
    ({"category": "spaceport"}, "Not a valid choice"),
])
def test_invalid_new_project_is_422_with_text_kept(en, login_as, place, overrides, message):
    login_as(place["committee"])
    description = "这段描述**不能丢**"
    response = en.post(f"/c/{place['community'].slug}/projects/new", data=_form(place, description=description,
                                                                              **overrides))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert description in html
    assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == 0


def test_new_project_refuses_another_communitys_building(en, login_as, place, make_building):
    foreign = make_building(place["other"])
    login_as(place["committee"])
    response = en.post(f"/c/{place['community'].slug}/projects/new", data=_form(place, buildings=[foreign.id]))
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == 0


def test_resident_cannot_create_or_edit(client, login_as, place, make_project):
    project = make_project()
    login_as(place["resident"])
    slug = place["community"].slug
    assert client.get(f"/c/{slug}/projects/new").status_code == 403
    assert client.post(f"/c/{slug}/projects/new", data=_form(place)).status_code == 403
    assert client.get(_url(project, "/edit")).status_code == 403
    assert client.post(_url(project, "/edit"), data=_form(place)).status_code == 403
    db.session.refresh(project)
    assert project.title == "垃圾厢房改造"


def test_edit_project_prefills_saves_and_audits(en, login_as, place, make_project):
    project = make_project()
    login_as(place["committee"])
    page = en.get(_url(project, "/edit")).get_data(as_text=True)
    assert 'value="垃圾厢房改造"' in page and "开放式垃圾点夏天很臭。</textarea>" in page
    assert re.search(r'<input[^>]*value="garbage_room"[^>]*checked|<input checked[^>]*value="garbage_room"', page)
    response = en.post(_url(project, "/edit"), data=_form(place, title="垃圾厢房智能化改造"))
    assert response.status_code == 303
    db.session.refresh(project)
    assert project.title == "垃圾厢房智能化改造" and project.category is Category.PARKING_CHARGING
    assert db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "project.edit")).scalar_one()
    assert "edited the project" in en.get(_url(project)).get_data(as_text=True)


def test_invalid_edit_is_422_and_keeps_the_text(en, login_as, place, make_project):
    project = make_project()
    login_as(place["committee"])
    response = en.post(_url(project, "/edit"), data=_form(place, title="", description="新的描述还在"))
    assert response.status_code == 422 and "新的描述还在" in response.get_data(as_text=True)
    db.session.refresh(project)
    assert project.title == "垃圾厢房改造"
