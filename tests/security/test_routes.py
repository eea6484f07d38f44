"""Cross-cutting: every route has an access decision, every non-GET needs CSRF, headers on every response."""
import re
from io import BytesIO

import pytest

from civic.web.access import ACCESS_ATTR

DECISIONS = {"public", "signed_in", "community_member"}


def _routes(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def _url_for_rule(rule) -> str:
    values = {arg: ("c1" if arg == "slug" else 1) for arg in rule.arguments}
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: str(values[m.group(1)]), rule.rule)


def test_every_route_declares_an_access_decision(app):
    missing = [rule.endpoint for rule in _routes(app)
               if getattr(app.view_functions[rule.endpoint], ACCESS_ATTR, None) not in DECISIONS]
    assert missing == [], f"routes without an access decision: {missing}"


def test_every_non_get_route_refuses_a_request_without_csrf(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    checked = 0
    for rule in _routes(app):
        for method in rule.methods - {"GET", "HEAD", "OPTIONS"}:
            response = client.open(_url_for_rule(rule), method=method, data={"x": "1"})
            assert response.status_code == 400, f"{method} {rule.rule} answered {response.status_code}"
            checked += 1
    assert checked >= 8


def test_csrf_failure_page_says_what_to_do(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/login", data={"username": "a", "password": "b"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "刷新" in html and "表单" in html


def test_login_form_works_with_its_csrf_token(make_app, make_member):
    from tests.conftest import PASSWORD, csrf_token_from

    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = make_member()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": user.username, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303


def test_htmx_requests_carry_csrf_in_a_header(make_app, make_member):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    html = client.get("/").get_data(as_text=True)
    match = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", html)
    assert match
    response = client.post("/preferences/elder-mode", data={"on": "1"},
                           headers={"X-CSRFToken": match.group(1), "HX-Request": "true"})
    assert response.status_code == 303


@pytest.mark.parametrize("url", ["/", "/login", "/register", "/nope"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_no_inline_script_in_pages(client):
    html = client.get("/").get_data(as_text=True)
    assert re.findall(r"<script(?![^>]*\bsrc=)", html) == []
    assert "hx-on" not in html and "javascript:" not in html


def test_signed_in_pages_are_not_cached(client, make_member, login_as):
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    login_as(make_member())
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_oversized_request_gets_413_with_a_message(make_app):
    client = make_app(MAX_CONTENT_LENGTH=1024).test_client()
    response = client.post("/register", data={"code": "x" * 4096})
    assert response.status_code == 413
    assert "太大" in response.get_data(as_text=True)


def test_oversized_upload_gets_413(make_app, make_household, make_member, grant):
    from civic.community.models import Role
    from tests.conftest import login

    client = make_app(MAX_CONTENT_LENGTH=1024).test_client()
    home = make_household()
    admin = make_member(home)
    grant(admin, home.building.community, Role.ADMIN)
    login(client, admin.username)
    response = client.post(f"/c/{home.building.community.slug}/roster", data={"file": (BytesIO(b"x" * 4096), "big.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 413


def test_session_cookie_flags(client, make_member):
    from tests.conftest import login

    response = login(client, make_member().username, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    session = next(c for c in cookies if c.startswith("session="))
    remember = next(c for c in cookies if c.startswith("remember_token="))
    assert "HttpOnly" in session and "SameSite=Lax" in session
    assert "HttpOnly" in remember
