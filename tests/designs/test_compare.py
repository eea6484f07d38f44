"""Compare page: which two are shown, who may see them, the spec diff, notes in between, modes without JS."""
import re
from decimal import Decimal
from html.parser import HTMLParser

from civic.designs import services
from civic.extensions import db
from civic.projects.models import Category, Project, Stage
from civic.threads.models import ThreadKind
from civic.threads.services import new_thread
from tests.designs.conftest import SPEC, plan_png, upload


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
COMPOUND = re.compile(r"^(?P<tag>[\w-]+)?(?P<rest>(?:[.#][\w-]+|\[[^\]]+\])*)$")
PART = re.compile(r"([.#])([\w-]+)|\[([\w-]+)(?:([$^*]?=)['\"]?([^'\"\]]*)['\"]?)?\]")


class Node:
    """A tiny parsed-HTML element with `select`/`select_one` for a subset of CSS (the suite has no HTML parser)."""

    def __init__(self, tag, attrs, parent=None):  # noqa: ANN001
        self.tag, self.attrs, self.parent, self.children = tag, {k: v or "" for k, v in attrs}, parent, []

    def __getitem__(self, key):  # noqa: ANN001, ANN204
        return self.attrs[key]

    def get(self, key, default=None):  # noqa: ANN001, ANN201
        return self.attrs.get(key, default)

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def descendants(self):  # noqa: ANN201
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.descendants()

    def matches(self, compound: str) -> bool:
        found = COMPOUND.match(compound)
        assert found, compound
        if found["tag"] and found["tag"] != self.tag:
            return False
        for kind, name, attr, op, wanted in PART.findall(found["rest"]):
            if kind == "." and name not in self.classes or kind == "#" and self.get("id") != name:
                return False
            value = self.get(attr) if attr else None
            if attr and (value is None or op == "=" and value != wanted or op == "$=" and not value.endswith(wanted)):
                return False
        return True

    def select(self, selector: str) -> list["Node"]:
        *ancestors, last = selector.split()
        return [n for n in self.descendants() if n.matches(last) and n._has_ancestors(ancestors)]

    def _has_ancestors(self, compounds: list[str]) -> bool:
        node = self.parent
        for compound in reversed(compounds):
            while node is not None and not node.matches(compound):
                node = node.parent
            if node is None:
                return False
            node = node.parent
        return True

    def select_one(self, selector: str):  # noqa: ANN201
        found = self.select(selector)
        return found[0] if found else None


class Tree(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.root = self.current = Node("#root", [])
        self.feed(html)

    def handle_starttag(self, tag, attrs):  # noqa: ANN001
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):  # noqa: ANN001
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):  # noqa: ANN001
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):  # noqa: ANN001
        self.current.children.append(data)


def parse(html: str) -> Node:
    return Tree(html).root


def url(world, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return f"/c/{world.community.slug}/projects/{world.project.id}/designs/compare" + (f"?{query}" if query else "")


def page(client, address, status=200):
    response = client.get(address)
    assert response.status_code == status, response.get_data(as_text=True)[:800]
    return parse(response.get_data(as_text=True))


def selected(soup, name):
    return int(soup.select_one(f"#compare-pick select[name={name}] option[selected]")["value"])


def test_defaults_to_the_first_two_published_options(dworld, make_option, login_as, en):
    a = make_option(versions=2)
    b = make_option(title="西侧车棚旁", versions=1)
    make_option(title="第三个", versions=1)
    soup = page(login_as(dworld.resident), url(dworld))
    assert (selected(soup, "a"), selected(soup, "b")) == (a.versions[-1].id, b.versions[-1].id)
    groups = [g["label"] for g in soup.select("select[name=a] optgroup")]
    assert groups == ["方案A", "方案B", "方案C"]
    assert len(soup.select("select[name=a] optgroup[label=方案A] option")) == 2


def test_one_option_defaults_to_its_last_two_versions(dworld, make_option, login_as, en):
    option = make_option(versions=3)
    soup = page(login_as(dworld.resident), url(dworld))
    assert (selected(soup, "a"), selected(soup, "b")) == (option.versions[1].id, option.versions[2].id)


def test_nothing_to_compare_says_so(dworld, make_option, login_as, en):
    make_option(versions=1)
    make_option(title="私下方案", versions=2, published=False)  # a resident may not see it
    soup = page(login_as(dworld.resident), url(dworld))
    assert "Nothing to compare yet" in soup.select_one("#compare").text
    assert soup.select_one("#compare-pick") is None


def test_a_designer_with_private_drafts_gets_them_by_default(dworld, make_option, login_as, en):
    public = make_option(versions=1)
    draft = make_option(title="私下方案", versions=1, published=False)
    soup = page(login_as(dworld.designer), url(dworld))
    assert (selected(soup, "a"), selected(soup, "b")) == (public.versions[0].id, draft.versions[0].id)


def test_only_one_side_given_fills_in_the_previous_version(dworld, make_option, login_as, en):
    option = make_option(versions=3)
    soup = page(login_as(dworld.resident), url(dworld, a=option.versions[2].id))
    assert (selected(soup, "a"), selected(soup, "b")) == (option.versions[2].id, option.versions[1].id)


def test_another_communitys_version_is_404(dworld, make_option, login_as):
    option = make_option(versions=2)
    client = login_as(dworld.outsider)
    # The outsider is not a member here: the whole page is 404; and in their own community the id means nothing.
    page(client, url(dworld, a=option.versions[0].id, b=option.versions[1].id), 404)
    other_project = Project(community_id=dworld.other_community.id, title="别处", description_md="", description_html="",
                            thread=new_thread(dworld.other_community.id, ThreadKind.PROJECT),
                            category=Category.GARBAGE_ROOM, stage=Stage.DESIGNING)
    db.session.add(other_project)
    db.session.commit()
    there = f"/c/{dworld.other_community.slug}/projects/{other_project.id}/designs/compare"
    page(client, f"{there}?a={option.versions[0].id}&b={option.versions[1].id}", 404)
    page(client, there, 200)


def test_private_options_version_is_404_for_a_resident_but_shown_to_the_designer(dworld, make_option, login_as, en):
    public = make_option(versions=1)
    private = make_option(title="私下方案", versions=1, published=False)
    address = url(dworld, a=public.versions[0].id, b=private.versions[0].id)
    page(login_as(dworld.resident), address, 404)
    soup = page(login_as(dworld.designer), address)
    assert selected(soup, "b") == private.versions[0].id
    assert "not published" in soup.select_one("select[name=b] optgroup[label=方案B]").text


def test_versions_of_another_project_or_bad_ids_are_404(dworld, make_option, login_as, en):
    here = make_option(versions=1)
    other = Project(community_id=dworld.community.id, title="电动车棚", description_md="", description_html="",
                    thread=new_thread(dworld.community.id, ThreadKind.PROJECT),
                    category=Category.GARBAGE_ROOM, stage=Stage.DESIGNING)
    db.session.add(other)
    db.session.commit()
    there = make_option(versions=1, project=other)
    client = login_as(dworld.resident)
    page(client, url(dworld, a=here.versions[0].id, b=there.versions[0].id), 404)
    page(client, url(dworld, a=here.versions[0].id, b="x"), 404)
    page(client, url(dworld, a=here.versions[0].id, b=999999), 404)


def test_spec_diff_marks_exactly_the_changed_fields(dworld, make_option, login_as, en):
    a = make_option(versions=1)
    b = make_option(title="西侧", versions=1, cost_yuan=Decimal("90000"), capacity=6, capacity_unit="个座位")
    soup = page(login_as(dworld.resident), url(dworld, a=a.versions[0].id, b=b.versions[0].id))
    changed = {tr.classes[0] for tr in soup.select("table.spec-diff tr.is-changed")}
    assert changed == {"spec-cost_yuan", "spec-capacity"}
    row = soup.select_one("table.spec-diff tr.spec-cost_yuan")
    assert "Changed" in row.select_one("th").text and [td.text for td in row.select("td")] == ["¥120,000", "¥90,000"]
    assert "Changed" not in soup.select_one("table.spec-diff tr.spec-area_m2").text


def test_notes_of_the_versions_in_between_are_listed(dworld, make_option, login_as, en):
    option = make_option(versions=5)
    v2, v5 = option.versions[1], option.versions[4]
    soup = page(login_as(dworld.resident), url(dworld, a=v5.id, b=v2.id))
    notes = soup.select_one(".compare-notes")
    assert "What changed from v2 to v5" in notes.select_one("h2").text
    assert [h.text.split(" ·")[0] for h in notes.select("h3")] == ["v3", "v4", "v5"]
    assert "第4版" in notes.text and "第2版" not in notes.text


def test_two_options_have_no_notes_in_between(dworld, make_option, login_as, en):
    make_option(versions=3)
    make_option(title="西侧", versions=2)
    soup = page(login_as(dworld.resident), url(dworld))
    assert soup.select_one(".compare-notes") is None


def test_side_by_side_without_js_and_mode_links(dworld, make_option, login_as, en):
    a = make_option(versions=1)
    b = make_option(title="西侧", versions=1)
    soup = page(login_as(dworld.resident), url(dworld))
    stage = soup.select_one("#compare .compare-stage[data-mode=side]")
    captions = [f.select_one("figcaption a").text for f in stage.select("figure")]
    assert captions[0].startswith("方案A v1 · ") and captions[1].startswith("方案B v1 · ")
    assert len(stage.select("img")) == 2
    links = {a_["data-mode"]: a_["href"] for a_ in soup.select("a[data-mode]")}
    assert set(links) == {"side", "slider", "overlay"}
    assert "mode=slider" in links["slider"] and f"a={a.versions[0].id}" in links["slider"]
    swap = soup.select_one("a.compare-swap")["href"]
    assert f"a={b.versions[0].id}" in swap and f"b={a.versions[0].id}" in swap
    assert soup.select_one("script[src$=js/compare.js]") is not None
    form = soup.select_one("form#compare-pick")
    assert form["method"] == "get" and form["action"].endswith("/designs/compare")


def test_slider_and_overlay_modes(dworld, make_option, login_as, en):
    a = make_option(versions=1)
    b = make_option(title="西侧", versions=1)
    client = login_as(dworld.resident)
    soup = page(client, url(dworld, a=a.versions[0].id, b=b.versions[0].id, mode="slider"))
    stage = soup.select_one(".compare-stage[data-mode=slider]")
    assert stage.select_one("img.compare-over") and stage.select_one("img.compare-under")
    assert soup.select_one("input[type=range].compare-range") is not None
    assert soup.select_one("a[data-mode=slider]")["aria-current"] == "page"
    soup = page(client, url(dworld, a=a.versions[0].id, b=b.versions[0].id, mode="overlay"))
    assert soup.select_one(".compare-stage[data-mode=overlay]") and soup.select_one("input.compare-opacity")
    soup = page(client, url(dworld, mode="nonsense"))  # a stale or edited link falls back to side by side
    assert soup.select_one(".compare-stage[data-mode=side]") is not None


def test_several_pictures_can_be_chosen(dworld, make_option, login_as, en):
    option = make_option(versions=1)
    services.add_version(option, dworld.project, actor=dworld.designer, change_note="两张图", spec=SPEC,
                         uploads=[upload(plan_png("p1")), upload(plan_png("p2"))], now=option.created_at)
    db.session.commit()
    v1, v2 = option.versions
    soup = page(login_as(dworld.resident), url(dworld, a=v1.id, b=v2.id, bi=1))
    links = soup.select(".compare-pages a")
    assert len(links) == 2 and "bi=1" in links[1]["href"] and links[1].get("aria-current") == "true"
    second = v2.files[1].desktop_name
    assert soup.select(".compare-figure img")[1]["src"].endswith(second)
    soup = page(login_as(dworld.resident), url(dworld, a=v1.id, b=v2.id, bi=7))  # out of range: the first picture
    assert soup.select(".compare-figure img")[1]["src"].endswith(v2.files[0].desktop_name)


def test_htmx_gets_only_the_compare_block(dworld, make_option, login_as, en):
    make_option(versions=2)
    client = login_as(dworld.resident)
    plain = client.get(url(dworld, mode="slider"))
    assert "HX-Request" in plain.headers["Vary"] and "<html" in plain.get_data(as_text=True)
    fragment = client.get(url(dworld, mode="slider"), headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    assert "<html" not in body and body.strip().startswith('<div id="compare"')
    assert 'data-mode="slider"' in body


def test_not_a_member_is_404_and_anonymous_must_sign_in(dworld, make_option, client):
    make_option(versions=2)
    assert client.get(url(dworld)).status_code == 302
