"""The project list: rows, filters, sorting, pagination, htmx fragment, and a query count that does not grow."""
from datetime import datetime, timedelta

import pytest

from civic.extensions import db
from civic.projects.models import Category, Stage
from civic.projects.queries import PAGE_SIZE
from tests.querycount import counted_queries  # noqa: F401  (used here and re-exported)

HX = {"HX-Request": "true"}
T0 = datetime(2026, 3, 1, 9, 0)


@pytest.fixture
def en(client):
    client.set_cookie("civic_lang", "en")
    return client


def test_rows_show_labels_buildings_counts_and_activity(en, login_as, place, make_project, make_proposal):
    project = make_project(title="一米会客厅", category=Category.COMMON_SPACE, buildings=place["buildings"])
    make_proposal(project)
    make_proposal(project, title="另一个提议")
    project.thread.comment_count = 7
    project.stage = Stage.DESIGNING
    db.session.commit()
    login_as(place["resident"])
    response = en.get(f"/c/{place['community'].slug}/projects")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html and "HX-Request" in response.headers["Vary"]
    row = html.split(f'id="project-{project.id}"')[1].split("</li>")[0]
    assert "一米会客厅" in row and "Lounge / common space" in row and "Designing" in row
    assert "、".join(b.name for b in sorted(place["buildings"], key=lambda b: b.sort_key)) in row
    assert "<dt>Proposals</dt><dd>2</dd>" in row and "<dt>Comments</dt><dd>7</dd>" in row
    assert "Last activity" in row
    assert "New project" not in html  # residents do not create projects


def test_committee_sees_the_new_project_button(en, login_as, place):
    login_as(place["committee"])
    assert "New project" in en.get(f"/c/{place['community'].slug}/projects").get_data(as_text=True)


def test_filters_by_stage_category_and_building(en, login_as, place, make_project):
    b1, b2 = place["buildings"]
    garbage = make_project(title="甲项目", category=Category.GARBAGE_ROOM, buildings=[b1])
    lights = make_project(title="乙项目", category=Category.LIGHTING, buildings=[b2])
    lights.stage = Stage.VOTING
    db.session.commit()
    login_as(place["resident"])
    base = f"/c/{place['community'].slug}/projects"

    def titles(query):
        html = en.get(base + query).get_data(as_text=True)
        return {t for t in ("甲项目", "乙项目") if t in html.split('id="project_list"')[1]}

    assert titles("") == {"甲项目", "乙项目"}
    assert titles("?stage=voting") == {"乙项目"}
    assert titles("?category=garbage_room") == {"甲项目"}
    assert titles(f"?building={b2.id}") == {"乙项目"}
    assert titles(f"?building={b1.id}&stage=voting") == set()
    assert titles("?stage=nonsense&category=nonsense") == {"甲项目", "乙项目"}  # unknown values are ignored
    assert garbage.id != lights.id


def test_building_of_another_community_is_ignored(en, login_as, place, make_project, make_building):
    make_project(title="甲项目")
    foreign = make_building(place["other"])
    login_as(place["resident"])
    html = en.get(f"/c/{place['community'].slug}/projects?building={foreign.id}").get_data(as_text=True)
    assert "甲项目" in html


def test_sort_newest_and_most_active(en, login_as, place, make_project):
    old = make_project(title="旧项目", now=T0)
    new = make_project(title="新项目", now=T0 + timedelta(days=1))
    old.last_activity_at = T0 + timedelta(days=5)
    db.session.commit()
    login_as(place["resident"])
    base = f"/c/{place['community'].slug}/projects"
    newest = en.get(base).get_data(as_text=True)
    assert newest.index(f'id="project-{new.id}"') < newest.index(f'id="project-{old.id}"')
    active = en.get(base + "?sort=active").get_data(as_text=True)
    assert active.index(f'id="project-{old.id}"') < active.index(f'id="project-{new.id}"')


def test_pagination_50_per_page_keeps_the_filter(en, login_as, place, make_project):
    for i in range(PAGE_SIZE + 1):
        make_project(title=f"项目{i:02d}", category=Category.GREENERY, now=T0 + timedelta(minutes=i))
    make_project(title="别的类别", category=Category.OTHER, now=T0 - timedelta(days=1))
    login_as(place["resident"])
    base = f"/c/{place['community'].slug}/projects?category=greenery"
    first = en.get(base).get_data(as_text=True)
    assert first.count('class="project-row"') == PAGE_SIZE and "Page 1 of 2" in first
    assert "project=" not in first and "category=greenery" in first.split('class="pager"')[1]
    second = en.get(base + "&page=2").get_data(as_text=True)
    assert second.count('class="project-row"') == 1 and "项目00" in second and "Page 2 of 2" in second
    assert "别的类别" not in second


def test_htmx_list_returns_only_the_list_block(en, login_as, place, make_project):
    make_project(title="甲项目")
    login_as(place["resident"])
    response = en.get(f"/c/{place['community'].slug}/projects?sort=active", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith('<section id="project_list"') and "<html" not in html
    assert "甲项目" in html and 'name="sort"' not in html


def test_filter_form_and_pager_work_without_javascript(en, login_as, place):
    login_as(place["resident"])
    html = en.get(f"/c/{place['community'].slug}/projects").get_data(as_text=True)
    form = html.split('<form method="get"')[1].split("</form>")[0]
    assert f'action="/c/{place["community"].slug}/projects"' in form and '<button type="submit">' in form
    assert 'hx-target="#project_list"' in form and 'hx-push-url="true"' in form


def _make_busy_projects(n, place, make_project, make_proposal):
    for i in range(n):
        project = make_project(title=f"项目{i}", buildings=place["buildings"], now=T0 + timedelta(minutes=i))
        make_proposal(project, seconds=[(place["home"], place["committee"])])


@pytest.mark.parametrize("filters", ["", "?stage=raised&category=garbage_room&sort=active"])
def test_query_count_does_not_grow_with_the_number_of_projects(client, login_as, place, make_project,
                                                               make_proposal, filters):
    login_as(place["resident"])
    url = f"/c/{place['community'].slug}/projects" + filters
    _make_busy_projects(5, place, make_project, make_proposal)
    with counted_queries() as few:
        assert client.get(url).status_code == 200
    _make_busy_projects(55, place, make_project, make_proposal)
    with counted_queries() as many:
        html = client.get(url).get_data(as_text=True)
    assert html.count('class="project-row"') == PAGE_SIZE
    assert len(many) == len(few), many


def test_hub_query_count_does_not_grow_with_proposals_or_events(client, login_as, place, make_project,
                                                               make_proposal):
    from civic.clock import utcnow
    from civic.projects import timeline

    project = make_project()
    login_as(place["resident"])
    make_proposal(project)
    with counted_queries() as few:
        assert client.get(f"/c/{place['community'].slug}/projects/{project.id}").status_code == 200
    for i in range(20):
        make_proposal(project, title=f"提议{i}")
        timeline.add(project, "stage_moved", place["committee"] if i % 2 else place["resident"], utcnow(),
                     **{"from": "raised", "to": "deliberating", "reason": "测试"})
    db.session.commit()
    with counted_queries() as many:
        assert client.get(f"/c/{place['community'].slug}/projects/{project.id}").status_code == 200
    assert len(many) == len(few), many
