"""Registration by invite code, sign-in, sign-out, password change, preferences."""
import re

from civic.accounts.models import User, UserSession
from civic.community import invites
from civic.community.models import Membership
from civic.clock import utcnow
from civic.extensions import db
from tests.conftest import PASSWORD, login


def _code(household):
    return invites.active_codes([household.id])[household.id]


def _register(client, code, **overrides):
    data = {"code": code, "display_name": "王阿姨", "username": "wangayi", "kind": "owner", "phone": "",
            "password": PASSWORD, "confirm": PASSWORD, **overrides}
    return client.post("/register", data=data)


def test_register_with_invite_code_links_household_and_signs_in(client, make_household):
    household = make_household()
    response = _register(client, _code(household).lower().replace("-", " "))  # typed loosely from paper
    assert response.status_code == 303
    user = db.session.execute(db.select(User).where(User.username == "wangayi")).scalar_one()
    membership = db.session.execute(db.select(Membership).where(Membership.user_id == user.id)).scalar_one()
    assert membership.household_id == household.id
    assert client.get("/").status_code == 200
    assert household.building.community.name in client.get("/").get_data(as_text=True)


def test_register_page_prefills_code_from_the_slip_qr(client, make_household):
    code = _code(make_household())
    assert f'value="{code}"' in client.get(f"/register?code={code}").get_data(as_text=True)


def test_wrong_code_is_refused_in_chinese_and_keeps_what_was_typed(client, make_household):
    make_household()
    response = _register(client, "ABCD-EFGH", display_name="李老伯")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "邀请码" in html and "李老伯" in html and PASSWORD not in html
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_regenerated_code_stops_working(client, make_household, make_user):
    household = make_household()
    old = _code(household)
    invites.regenerate(household, None, utcnow())
    db.session.commit()
    assert _register(client, old).status_code == 422
    assert _register(client, _code(household)).status_code == 303


def test_code_is_used_up_after_the_member_limit(make_app, make_household):
    app = make_app(INVITE_MAX_MEMBERS=2)
    client = app.test_client()
    with app.app_context():
        household = make_household()
        code = _code(household)
    assert _register(client, code, username="aaa1").status_code == 303
    client.post("/logout")
    assert _register(client, code, username="aaa2").status_code == 303
    client.post("/logout")
    response = _register(client, code, username="aaa3")
    assert response.status_code == 422 and "上限" in response.get_data(as_text=True)


def test_huge_or_html_display_names_are_refused_with_a_message(client, make_household):
    code = _code(make_household())
    response = _register(client, code, display_name="长" * 10_000)
    assert response.status_code == 422 and "20" in response.get_data(as_text=True)
    response = _register(client, code, display_name="<script>alert(1)</script>")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_taken_login_name_is_refused_and_nothing_half_written(client, make_household, make_user):
    make_user(username="taken")
    household = make_household()
    response = _register(client, _code(household), username="TAKEN")
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Membership)) == 0


def test_login_message_never_reveals_whether_the_account_exists(client, make_user):
    make_user(username="exists")
    wrong_password = login(client, "exists", "nope-nope-nope").get_data(as_text=True)
    unknown = login(client, "nobody", "nope-nope-nope").get_data(as_text=True)
    message = "登录名或密码不正确"
    assert message in wrong_password and message in unknown
    # Compare the forms only: the CSRF token elsewhere on the page is time-stamped and may differ.
    main = lambda html: re.sub(r'value="[^"]*"', "", re.search(r"<main.*</main>", html, re.S).group(0))  # noqa: E731
    assert main(wrong_password).replace("exists", "") == main(unknown).replace("nobody", "")


def test_login_is_rate_limited(make_app, make_user):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [login(client, "nobody", "wrong-password").status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    assert "请" in client.post("/login", data={}).get_data(as_text=True)


def test_logout_then_replayed_cookie_is_anonymous(client, make_member):
    user = make_member()
    login(client, user.username, remember="y")
    cookies = {c.key: c.value for c in client._cookies.values()}
    assert "remember_token" in cookies and "session" in cookies
    assert client.get("/account").status_code == 200
    client.post("/logout")
    for name, value in cookies.items():
        client.set_cookie(name, value)
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_password_change_ends_other_sessions(app, make_member):
    user = make_member()
    phone, laptop = app.test_client(), app.test_client()
    login(phone, user.username)
    login(laptop, user.username)
    response = phone.post("/account/password", data={"current": PASSWORD, "password": "new password 1", "confirm": "new password 1"})
    assert response.status_code == 303
    assert phone.get("/account").status_code == 200
    assert laptop.get("/account").status_code == 302
    assert login(app.test_client(), user.username, "new password 1").status_code == 303
    open_sessions = db.session.scalar(db.select(db.func.count()).select_from(UserSession).where(
        UserSession.user_id == user.id, UserSession.revoked_at.is_(None)))
    assert open_sessions == 2  # the phone and the new sign-in


def test_password_change_with_wrong_current_password(client, make_member):
    user = make_member()
    login(client, user.username)
    response = client.post("/account/password", data={"current": "wrong", "password": "new password 1", "confirm": "new password 1"})
    assert response.status_code == 422 and "当前密码不正确" in response.get_data(as_text=True)


def test_chinese_by_default_and_english_on_request(client):
    assert "登录" in client.get("/").get_data(as_text=True)
    assert 'lang="zh-CN"' in client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_data(as_text=True)
    english = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Sign in" in english and 'lang="en"' in english
    client.post("/preferences/language", data={"locale": "en", "next": "/login"})
    assert "Sign in" in client.get("/").get_data(as_text=True)  # the cookie now wins over Accept-Language


def test_language_is_kept_on_the_account(client, make_member):
    user = make_member()
    login(client, user.username)
    client.post("/preferences/language", data={"locale": "en"})
    assert db.session.get(User, user.id).locale == "en"
    fresh = client.application.test_client()
    login(fresh, user.username)
    assert "Sign out" in fresh.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)


def test_elder_mode_switch_changes_the_page_without_javascript(client):
    assert 'class=""' in client.get("/").get_data(as_text=True)
    response = client.post("/preferences/elder-mode", data={"on": "1", "next": "/login"})
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    html = client.get("/login").get_data(as_text=True)
    assert 'class="elder"' in html and 'aria-pressed="true"' in html


def test_preference_redirect_refuses_other_sites(client):
    response = client.post("/preferences/elder-mode", data={"on": "1", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_login_name_is_case_insensitive(client, make_member):
    user = make_member(username="Wang_Ayi")
    assert login(client, "wang_ayi").status_code == 303
