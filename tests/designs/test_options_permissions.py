"""Who may open which option page: roles × private/published × project stage, for every route of this area."""
from __future__ import annotations

import pytest

from civic.extensions import db
from civic.projects.models import Stage

ROLES = ("designer", "committee", "resident", "neighbour", "outsider")
DESIGNERS = {"designer", "committee"}


def _expected(route: str, role: str, published: bool, stage: Stage) -> int:
    if role == "outsider":
        return 404  # another community: nothing here exists for them
    if route == "index":
        return 200
    if route == "new_option":
        return 200 if role in DESIGNERS and stage is Stage.DESIGNING else 403
    if not published and role not in DESIGNERS:
        return 404  # a private option is not shown to residents at all
    if route == "show_option":
        return 200
    if role not in DESIGNERS or stage is not Stage.DESIGNING:
        return 403
    return 303 if route == "publish" else 200


def _request(client, route: str, slug: str, project_id: int, option_id: int):
    paths = {
        "index": ("GET", f"/c/{slug}/projects/{project_id}/designs"),
        "new_option": ("GET", f"/c/{slug}/projects/{project_id}/designs/new"),
        "show_option": ("GET", f"/c/{slug}/designs/{option_id}"),
        "edit_option": ("GET", f"/c/{slug}/designs/{option_id}/edit"),
        "publish": ("POST", f"/c/{slug}/designs/{option_id}/publish"),
        "new_version": ("GET", f"/c/{slug}/designs/{option_id}/versions/new"),
    }
    method, path = paths[route]
    return client.open(path, method=method)


@pytest.mark.parametrize("stage", [Stage.DESIGNING, Stage.VOTING], ids=["design", "vote"])
@pytest.mark.parametrize("published", [False, True], ids=["private", "published"])
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(dworld, client, login_as, make_option, role, published, stage):
    option = make_option(versions=1, published=published)
    dworld.project.stage = stage
    db.session.commit()
    login_as(getattr(dworld, role))
    slug, project_id, option_id = dworld.community.slug, dworld.project.id, option.id
    got = {route: _request(client, route, slug, project_id, option_id).status_code
           for route in ("index", "new_option", "show_option", "edit_option", "new_version", "publish")}
    want = {route: _expected(route, role, published, stage) for route in got}
    assert got == want


def test_a_version_post_by_a_resident_is_refused_and_stores_nothing(dworld, client, login_as, make_option, upload_dir):
    import io

    from civic.designs.models import DesignVersion
    from tests.designs.conftest import plan_png

    option = make_option(versions=1)
    before = set(upload_dir.iterdir())
    login_as(dworld.resident)
    response = client.post(f"/c/{dworld.community.slug}/designs/{option.id}/versions/new",
                           content_type="multipart/form-data",
                           data={"files": [(io.BytesIO(plan_png("x")), "x.png", "image/png")], "change_note": "x"})
    assert response.status_code == 403
    assert set(upload_dir.iterdir()) == before
    assert db.session.execute(db.select(db.func.count()).select_from(DesignVersion)).scalar_one() == 1


def test_signed_out_visitors_are_sent_to_sign_in(dworld, client, make_option):
    option = make_option(versions=1)
    response = client.get(f"/c/{dworld.community.slug}/designs/{option.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
