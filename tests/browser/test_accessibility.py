"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page reachable so far, in normal mode and in 关怀版.

Each page × mode is its own test. A violation of impact "serious" or "critical" fails the test, and so
does a page wider than the phone's screen (WCAG 1.4.10 Reflow, which axe does not check). All axe
violations (any impact) are also written next to the screenshots as <case>.axe.json for reading.
"""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.security import generate_password_hash

from civic.clock import utcnow
from civic.community import invites, roles
from civic.community.models import MemberKind, Role
from civic.extensions import db
from tests.browser.conftest import SCREENSHOT_DIR, screenshot, sign_in, turn_on_elder_mode
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}}
FAILING_IMPACTS = {"serious", "critical"}
SHOWN_TARGETS = 4

_axe = Axe()


@dataclass(frozen=True)
class Scene:
    slug: str
    building_id: int
    resident: str
    admin: str


@functools.cache
def _quick_hash(password: str) -> str:
    return generate_password_hash(password, method="pbkdf2:sha256:1000")


@pytest.fixture
def scene(monkeypatch, make_community, make_building, make_household, make_member, grant) -> Scene:
    """A small community: two buildings, a resident, an administrator, a building-group leader, audit entries."""
    # Forty tests each create four users and sign in: a cheap (still real) hash keeps the suite quick.
    monkeypatch.setattr("civic.accounts.models.generate_password_hash", _quick_hash)
    community = make_community(slug="hongqiao", name="虹桥居民区", street="嘉兴路街道", district="虹口区")
    no7 = make_building(community, name="7号楼")
    no8 = make_building(community, name="8号楼")
    homes = [make_household(no7, room=room, area_m2=Decimal(area))
             for room, area in (("101", "62.30"), ("102", "88.50"), ("201", "62.30"), ("1203", "132.00"))]
    make_household(no8, room="101")
    resident = make_member(homes[0], MemberKind.OWNER, username="wangayi", display_name="王阿姨")
    make_member(homes[0], MemberKind.FAMILY, username="xiaowang", display_name="小王")
    admin = make_member(homes[1], MemberKind.TENANT, username="zhangshuji", display_name="张书记")
    grant(admin, community, Role.ADMIN)
    make_member(homes[2], username="lilaobo", display_name="李老伯")
    roles.grant(community, "lilaobo", Role.BUILDING_LEADER, [no7, no8], admin, utcnow())
    roles.grant(community, "xiaowang", Role.RESIDENTS_COMMITTEE, [], admin, utcnow())
    invites.regenerate(homes[3], admin, utcnow())
    db.session.commit()
    return Scene(slug=community.slug, building_id=no7.id, resident=resident.username, admin=admin.username)


def _submit_empty_form(page) -> None:
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _wrong_password(page) -> None:
    page.get_by_label("登录名", exact=True).fill("nobody")
    page.get_by_label("密码", exact=True).fill("wrong password")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


@dataclass(frozen=True)
class Case:
    who: str  # anonymous, resident or admin
    name: str
    path: str  # may use {slug} and {building}
    status: int = 200
    then: Callable | None = None  # what to do on the page before checking it


CASES = [
    Case("anonymous", "start", "/"),
    Case("anonymous", "login", "/login"),
    Case("anonymous", "login-error", "/login", 422, _wrong_password),
    Case("anonymous", "register", "/register"),
    Case("anonymous", "register-errors", "/register", 422, _submit_empty_form),
    Case("anonymous", "not-found", "/no-such-page", 404),
    Case("resident", "start", "/"),
    Case("resident", "account", "/account"),
    Case("resident", "account-errors", "/account", 422, _submit_empty_form),
    Case("resident", "community", "/c/{slug}/"),
    Case("resident", "forbidden", "/c/{slug}/households", 403),
    Case("admin", "community", "/c/{slug}/"),
    Case("admin", "households", "/c/{slug}/households"),
    Case("admin", "households-building", "/c/{slug}/households?building={building}"),
    Case("admin", "roster", "/c/{slug}/roster"),
    Case("admin", "roster-errors", "/c/{slug}/roster", 422, _submit_empty_form),
    Case("admin", "roles", "/c/{slug}/roles"),
    Case("admin", "audit", "/c/{slug}/audit"),
    Case("admin", "slips-choose", "/c/{slug}/invites/slips"),
    Case("admin", "slips", "/c/{slug}/invites/slips?building={building}"),
]
MODES = ("normal", "elder")


def _prepare(page, base_url: str, scene: Scene, who: str, mode: str) -> None:
    if who == "anonymous":
        if mode == "elder":
            page.context.add_cookies([{"name": "civic_elder", "value": "1", "url": base_url}])
        return
    sign_in(page, base_url, scene.admin if who == "admin" else scene.resident, PASSWORD)
    if mode == "elder":
        turn_on_elder_mode(page)  # signed in, the footer switch stores it on the account


_OVERFLOWING_JS = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 0.5 && !el.parentElement.closest(".table-wrap, pre")) {
      const cls = typeof el.className === "string" && el.className ? "." + el.className.trim().split(/\\s+/).join(".") : "";
      found.push(`${el.tagName.toLowerCase()}${cls} (right edge at ${Math.round(box.right)}px)`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, found: found.slice(0, 4)};
}"""


def _reflow_problems(page) -> list[str]:
    """WCAG 1.4.10 Reflow (AA), which axe cannot check: nothing may widen the page beyond the phone's screen."""
    result = page.evaluate(_OVERFLOWING_JS)
    if result["scroll"] <= result["width"]:
        return []
    return [f"- reflow (serious, WCAG 1.4.10; not an axe rule): the page is {result['scroll']}px wide on a "
            f"{result['width']}px phone screen, so it scrolls sideways [{'; '.join(result['found'])}]"]


def _describe(violation: dict) -> str:
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
    shown = "; ".join(targets[:SHOWN_TARGETS]) + (f"; … {len(targets) - SHOWN_TARGETS} more"
                                                    if len(targets) > SHOWN_TARGETS else "")
    return f"- {violation['id']} ({violation['impact']}): {violation['help']} [{shown}] {violation['helpUrl']}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CASES, ids=[f"{c.who}-{c.name}" for c in CASES])
def test_page_has_no_serious_accessibility_problems(live_server, page, scene, case, mode):
    _prepare(page, live_server, scene, case.who, mode)
    response = page.goto(live_server + case.path.format(slug=scene.slug, building=scene.building_id))
    if case.then is None:
        assert response.status == case.status, f"{case.path} answered {response.status}"
    else:
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            case.then(page)
        assert posted.value.status == case.status, f"{case.path} POST answered {posted.value.status}"
    is_elder = "elder" in (page.locator("html").get_attribute("class") or "").split()
    assert is_elder == (mode == "elder"), f"elder mode should be {mode == 'elder'} on {page.url}"

    name = f"a11y-{case.who}-{case.name}-{mode}"
    screenshot(page, name)
    results = _axe.run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    (SCREENSHOT_DIR / f"{name}.axe.json").write_text(json.dumps(
        [{k: v[k] for k in ("id", "impact", "help", "helpUrl")} | {"targets": [n["target"] for n in v["nodes"]]}
         for v in violations], ensure_ascii=False, indent=2))
    problems = [_describe(v) for v in violations if v["impact"] in FAILING_IMPACTS]
    problems += _reflow_problems(page)
    if problems:
        pytest.fail(f"{len(problems)} serious accessibility problems on {page.url} ({mode}):\n"
                    + "\n".join(problems), pytrace=False)
