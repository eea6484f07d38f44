"""Comparison matrix: published options only, best values marked in words, constant queries, printable."""
from decimal import Decimal

from civic.designs import compare
from tests.designs.test_compare import page
from tests.querycount import counted_queries


def url(world):
    return f"/c/{world.community.slug}/projects/{world.project.id}/designs/matrix"


def cells(soup, key):
    return soup.select(f"table.matrix tr.spec-{key} td")


def test_columns_are_the_published_options_current_versions(dworld, make_option, login_as, en):
    a = make_option(versions=3)
    make_option(title="私下方案", versions=1, published=False)
    b = make_option(title="西侧车棚旁", versions=1)
    soup = page(login_as(dworld.designer), url(dworld))  # even a designer sees only published options here
    heads = soup.select("table.matrix th.matrix-option")
    assert [h["data-option"] for h in heads] == [str(a.id), str(b.id)]
    assert "方案A" in heads[0].text and "v3" in heads[0].text and "私下方案" not in soup.select_one("table.matrix").text
    assert heads[0].select_one("a")["href"].endswith(f"/designs/{a.id}")
    assert heads[0].select_one("img.matrix-thumb")["src"].endswith(a.versions[-1].files[0].phone_name)
    assert [r.classes[0] for r in soup.select("table.matrix tbody tr")] == [
        "spec-cost_yuan", "spec-area_m2", "spec-capacity", "spec-build_days", "spec-yearly_fee_yuan", "spec-spec_notes"]


def test_best_cells_are_marked_in_words(dworld, make_option, login_as, en):
    make_option(versions=1, cost_yuan=Decimal("90000"), capacity=8)
    make_option(title="西侧", versions=1, cost_yuan=Decimal("120000"), capacity=6)
    soup = page(login_as(dworld.resident), url(dworld))
    cost = cells(soup, "cost_yuan")
    assert ["is-best" in c.classes for c in cost] == [True, False]
    assert "Lowest" in cost[0].select_one(".best-mark").text and cost[1].select_one(".best-mark") is None
    capacity = cells(soup, "capacity")
    assert ["is-best" in c.classes for c in capacity] == [True, False] and "Most" in capacity[0].text
    # All equal (area, build days, fee): nothing stands out. Notes never get a mark.
    for key in ("area_m2", "build_days", "yearly_fee_yuan", "spec_notes"):
        assert not soup.select(f"table.matrix tr.spec-{key} td.is-best"), key
    assert "lowest cost" in soup.select_one(".matrix-explain").text


def test_capacity_in_different_units_is_not_compared(dworld, make_option, login_as, en):
    make_option(versions=1, capacity=80, capacity_unit="充电位")
    make_option(title="西侧", versions=1, capacity=6, capacity_unit="个桶位")
    soup = page(login_as(dworld.resident), url(dworld))
    assert [c.text.strip() for c in cells(soup, "capacity")] == ["80 充电位", "6 个桶位"]
    assert not soup.select("table.matrix tr.spec-capacity td.is-best")


def test_matrix_rows_ties_are_all_marked(dworld, make_option):
    a = make_option(versions=1, cost_yuan=Decimal("90000"))
    b = make_option(title="西侧", versions=1, cost_yuan=Decimal("90000"))
    c = make_option(title="北侧", versions=1, cost_yuan=Decimal("100000"))
    rows = {r.field.key: r for r in compare.matrix_rows([a.versions[0], b.versions[0], c.versions[0]])}
    assert [cell.is_best for cell in rows["cost_yuan"].cells] == [True, True, False]
    assert rows["cost_yuan"].has_best and not rows["area_m2"].has_best


def test_printable_and_links_to_compare(dworld, make_option, login_as, en):
    a = make_option(versions=2)
    b = make_option(title="西侧", versions=1)
    soup = page(login_as(dworld.resident), url(dworld))
    printer = soup.select_one("a[data-print]")
    assert printer is not None and printer["href"] == "#print-help" and soup.select_one("#print-help") is not None
    assert soup.select_one("script[src$=js/compare.js]") is not None
    links = [x["href"] for x in soup.select("a.matrix-compare")]
    assert links[0].endswith(f"/designs/compare?a={a.versions[-1].id}&b={b.versions[0].id}")
    assert links[1].endswith(f"/designs/compare?a={b.versions[0].id}&b={a.versions[-1].id}")
    assert soup.select_one(".matrix-page") is not None  # the print CSS turns this page to A4 landscape


def test_no_published_options_says_so(dworld, make_option, login_as, en):
    make_option(versions=1, published=False)
    soup = page(login_as(dworld.designer), url(dworld))
    assert soup.select_one("table.matrix") is None
    assert "No published options yet" in soup.select_one("#matrix").text


def test_query_count_does_not_grow_with_options(dworld, make_option, login_as):
    client = login_as(dworld.resident)
    for n in range(2):
        make_option(title=f"方案{n}", versions=2)
    client.get(url(dworld))  # warm up: the first request of a session loads more (locale, standing…)
    with counted_queries() as two:
        assert client.get(url(dworld)).status_code == 200
    for n in range(3):
        make_option(title=f"更多{n}", versions=1)
    with counted_queries() as five:
        body = client.get(url(dworld)).get_data(as_text=True)
    assert body.count('class="matrix-option"') == 5
    assert len(five) == len(two), five


def test_access_other_community_and_anonymous(dworld, make_option, login_as, client):
    make_option(versions=1)
    assert client.get(url(dworld)).status_code == 302
    page(login_as(dworld.outsider), url(dworld), 404)
    # A project id of this community asked under another community's address: 404 as well.
    slug = dworld.other_community.slug
    page(client, f"/c/{slug}/projects/{dworld.project.id}/designs/matrix", 404)
