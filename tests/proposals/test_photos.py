"""Photos: stored through the upload module, all or nothing, at most nine, served only behind the access check."""
import io
import os

import pytest
from PIL import Image

from civic.extensions import db
from civic.proposals.models import Proposal, ProposalPhoto
from tests.conftest import PASSWORD, csrf_token_from
from tests.proposals.conftest import jpeg_bytes


def url(world, tail=""):
    return f"/c/{world.community.slug}/proposals{tail}"


def form(world, photos=(), **overrides):
    data = {"title": "楼道太暗", "body": "晚上看不见台阶。", "category": "lighting", "buildings": [str(world.b7.id)],
            "publish": "Publish", "photos": [(io.BytesIO(data), name) for data, name in photos]}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def files_in(directory):
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_photos_are_stored_with_thumbnails_and_shown(en, login_as, world, upload_dir):
    login_as(world.author)
    big = jpeg_bytes((1600, 1200))
    response = en.post(url(world, "/new"), data=form(world, [(big, "门厅.jpg"), (jpeg_bytes(), "b.jpg")]),
                       content_type="multipart/form-data")
    assert response.status_code == 303
    p = db.session.execute(db.select(Proposal)).scalar_one()
    first, second = p.photos
    assert (first.position, second.position) == (0, 1)
    assert first.phone_name.endswith("_480.jpg") and first.desktop_name.endswith("_1024.jpg")
    assert first.original_filename == "门厅.jpg" and (first.width, first.height) == (1600, 1200)
    assert second.phone_name == second.name  # already small: the full image serves as its thumbnail
    assert set(files_in(upload_dir)) == {first.name, first.phone_name, first.desktop_name, second.name}
    html = en.get(url(world, f"/{p.id}")).get_data(as_text=True)
    assert f'href="/c/{world.community.slug}/photos/{first.name}"' in html
    assert f'src="/c/{world.community.slug}/photos/{first.phone_name}"' in html
    assert 'width="480" height="360"' in html


def test_a_text_file_renamed_jpg_is_refused_with_a_reason_and_nothing_stored(en, login_as, world, upload_dir):
    login_as(world.author)
    photos = [(jpeg_bytes(), "good.jpg"), (b"just some text, not a picture", "fake.jpg")]
    response = en.post(url(world, "/new"), data=form(world, photos), content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "fake.jpg is not a JPEG, PNG or WebP photo." in html
    assert "楼道太暗" in html and "晚上看不见台阶。" in html  # the text is kept
    assert "choose them again" in html
    assert files_in(upload_dir) == []  # good.jpg was stored first, then removed again
    assert db.session.execute(db.select(Proposal)).first() is None
    assert db.session.execute(db.select(ProposalPhoto)).first() is None


def test_every_refused_file_gets_its_own_reason(en, login_as, world, upload_dir):
    login_as(world.author)
    photos = [(b"text", "one.jpg"), (b"", "two.png"), (jpeg_bytes()[:200], "three.jpg")]
    html = en.post(url(world, "/new"), data=form(world, photos), content_type="multipart/form-data").get_data(as_text=True)
    assert "one.jpg is not a JPEG" in html and "two.png is empty." in html and "three.jpg is damaged" in html


def test_ten_photos_are_refused_and_nothing_stored(en, login_as, world, upload_dir):
    login_as(world.author)
    photos = [(jpeg_bytes(), f"{i}.jpg") for i in range(10)]
    response = en.post(url(world, "/new"), data=form(world, photos), content_type="multipart/form-data")
    assert response.status_code == 422
    assert "at most 9 photos" in response.get_data(as_text=True)
    assert files_in(upload_dir) == [] and db.session.execute(db.select(Proposal)).first() is None


def test_nine_photos_are_fine(en, login_as, world, upload_dir):
    login_as(world.author)
    photos = [(jpeg_bytes(), f"{i}.jpg") for i in range(9)]
    assert en.post(url(world, "/new"), data=form(world, photos), content_type="multipart/form-data").status_code == 303
    assert len(db.session.execute(db.select(ProposalPhoto)).all()) == 9


def test_edit_removes_and_adds_photos_within_nine(en, login_as, world, upload_dir):
    login_as(world.author)
    en.post(url(world, "/new"), data=form(world, [(jpeg_bytes(), f"{i}.jpg") for i in range(8)]),
            content_type="multipart/form-data")
    p = db.session.execute(db.select(Proposal)).scalar_one()
    doomed = p.photos[0]
    doomed_name = doomed.name
    two_more = [(jpeg_bytes(), "x.jpg"), (jpeg_bytes(), "y.jpg")]
    response = en.post(url(world, f"/{p.id}/edit"), data=form(world, two_more, publish=None, save="Save"),
                       content_type="multipart/form-data")
    assert response.status_code == 422 and "at most 9 photos" in response.get_data(as_text=True)
    assert len(files_in(upload_dir)) == 8
    response = en.post(url(world, f"/{p.id}/edit"),
                       data=form(world, two_more, publish=None, save="Save", remove_photos=[str(doomed.id)]),
                       content_type="multipart/form-data")
    assert response.status_code == 303
    p = db.session.get(Proposal, p.id)
    assert len(p.photos) == 9 and doomed_name not in files_in(upload_dir)
    assert [ph.position for ph in p.photos] == sorted(ph.position for ph in p.photos)
    assert p.edited_at is not None and len(p.revisions) == 1  # a photo change on a published proposal is an edit


def _proposal_with_photo(client, login_as, world):
    login_as(world.author)
    client.post(url(world, "/new"), data=form(world, [(jpeg_bytes((1200, 900)), "a.jpg")]),
                content_type="multipart/form-data")
    client.post("/logout")
    return db.session.execute(db.select(Proposal)).scalar_one()


def test_photo_is_served_with_fixed_type_nosniff_and_private_cache(client, login_as, world, upload_dir):
    p = _proposal_with_photo(client, login_as, world)
    photo = p.photos[0]
    login_as(world.neighbour)
    for name in (photo.name, photo.phone_name, photo.desktop_name):
        response = client.get(f"/c/{world.community.slug}/photos/{name}")
        assert response.status_code == 200, name
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "private, max-age=86400"
        assert Image.open(io.BytesIO(response.data)).format == "JPEG"
    assert client.get(f"/c/{world.community.slug}/photos/nothing.jpg").status_code == 404
    assert client.get(f"/c/{world.community.slug}/photos/..%2Fsecret_key").status_code == 404


def test_photo_through_another_community_is_404(client, login_as, world, upload_dir, grant):
    p = _proposal_with_photo(client, login_as, world)
    login_as(world.outsider)
    assert client.get(f"/c/{world.other_community.slug}/photos/{p.photos[0].name}").status_code == 404
    assert client.get(f"/c/{world.community.slug}/photos/{p.photos[0].name}").status_code == 404


def test_hidden_proposals_photo_is_404_for_other_residents(client, login_as, world, upload_dir):
    from civic.clock import utcnow

    p = _proposal_with_photo(client, login_as, world)
    name = p.photos[0].phone_name
    p.hidden_at, p.hidden_reason = utcnow(), "含有住户门牌"
    db.session.commit()
    login_as(world.neighbour)
    assert client.get(f"/c/{world.community.slug}/photos/{name}").status_code == 404
    client.post("/logout")
    for reader in (world.author, world.committee):
        login_as(reader)
        assert client.get(f"/c/{world.community.slug}/photos/{name}").status_code == 200
        client.post("/logout")


def test_draft_photo_is_404_for_others(client, login_as, world, upload_dir):
    login_as(world.author)
    client.post(url(world, "/new"), data=form(world, [(jpeg_bytes(), "a.jpg")], publish=None, save_draft="Save draft"),
                content_type="multipart/form-data")
    name = db.session.execute(db.select(ProposalPhoto.name)).scalar_one()
    assert client.get(f"/c/{world.community.slug}/photos/{name}").status_code == 200
    client.post("/logout")
    login_as(world.spouse)
    assert client.get(f"/c/{world.community.slug}/photos/{name}").status_code == 404


def _noise_jpeg(side: int) -> bytes:
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


@pytest.fixture
def strict_client(make_app, world, tmp_path):
    """CSRF on (its hook reads the form first) and a small app-wide cap, as a real deployment is configured."""
    app = make_app(WTF_CSRF_ENABLED=True, MAX_CONTENT_LENGTH=64 * 1024, UPLOAD_MAX_FILE_BYTES=200 * 1024,
                   UPLOAD_DIR=str(tmp_path / "strict"))
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": world.author.username, "password": PASSWORD, "csrf_token": token})
    client.set_cookie("civic_lang", "en")
    return client


def test_the_proposal_form_may_exceed_the_app_wide_cap(strict_client, world):
    photo = _noise_jpeg(300)
    assert 64 * 1024 < len(photo) < 200 * 1024
    new_url = url(world, "/new")
    token = csrf_token_from(strict_client.get(new_url).get_data(as_text=True))
    response = strict_client.post(new_url, data={**form(world, [(photo, "big.jpg")]), "csrf_token": token},
                                  content_type="multipart/form-data")
    assert response.status_code == 303
    # Elsewhere the app-wide cap still holds.
    response = strict_client.post("/preferences/elder-mode", data={"on": "1", "x": "y" * 70_000, "csrf_token": token})
    assert response.status_code == 413


def test_beyond_the_forms_own_cap_is_413_naming_that_cap(strict_client, world):
    new_url = url(world, "/new")
    token = csrf_token_from(strict_client.get(new_url).get_data(as_text=True))
    blob = (io.BytesIO(b"\0" * (3 * 1024 * 1024)), "huge.jpg")
    response = strict_client.post(new_url, data={**form(world), "photos": [blob], "csrf_token": token},
                                  content_type="multipart/form-data")
    assert response.status_code == 413
    assert "at most 2 MB" in response.get_data(as_text=True)  # 9 × 200 KiB + 1 MiB, not the 64 KiB app-wide cap
