"""Serving design files: access per option, fixed types, safe names, long-lived private caching, no EXIF."""
from __future__ import annotations

import io
import urllib.parse

import pytest
from PIL import ExifTags, Image

from civic.clock import utcnow
from civic.designs import services
from civic.designs.models import DesignFile, FileKind
from civic.extensions import db
from civic.web import uploads
from tests.designs.conftest import SPEC, plan_png, upload
from tests.security import hostile_pdfs


@pytest.fixture
def add_version(dworld):
    """A new version of `option` with exactly these uploads, through the real service; returns its file rows."""

    def add(option, *files) -> list[DesignFile]:
        version = services.add_version(option, dworld.project, actor=dworld.designer, uploads=list(files),
                                       change_note="", spec=SPEC, now=utcnow())
        db.session.commit()
        return list(version.files)

    return add


def file_url(dworld, name: str) -> str:
    return f"/c/{dworld.community.slug}/designs/files/{name}"


def gps_jpeg() -> bytes:
    exif = Image.Exif()
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)  # tag 34853
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 8.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 28.0, 50.0)
    exif[ExifTags.Base.Make] = "PhoneCam"
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize((640, 480)).convert("RGB").save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return data


def test_an_image_is_served_inline_with_fixed_type_nosniff_and_immutable_caching(dworld, client, login_as,
                                                                               make_option, add_version):
    option = make_option()
    (row,) = add_version(option, upload(plan_png("east"), "plan v2.png"))
    login_as(dworld.resident)

    for name in (row.name, row.phone_name, row.desktop_name):
        response = client.get(file_url(dworld, name))
        assert response.status_code == 200
        assert response.mimetype == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "private, max-age=31536000, immutable"
        assert response.headers["Content-Disposition"] == \
            "inline; filename=\"plan_v2.jpg\"; filename*=UTF-8''plan%20v2.jpg"
    etag = response.headers["ETag"]
    assert client.get(file_url(dworld, row.desktop_name), headers={"If-None-Match": etag}).status_code == 304


def test_a_jpeg_with_gps_comes_back_without_any_exif(dworld, client, login_as, make_option, add_version):
    option = make_option()
    (row,) = add_version(option, upload(gps_jpeg(), "IMG_0001.jpg", "image/jpeg"))
    login_as(dworld.resident)

    body = client.get(file_url(dworld, row.name)).get_data()

    served = Image.open(io.BytesIO(body))
    assert served.format == "JPEG" and not served.getexif()
    assert b"Exif" not in body and b"PhoneCam" not in body


def test_a_pdf_downloads_under_its_cleaned_name_and_its_preview_shows_inline(dworld, client, login_as, make_option,
                                                                            add_version):
    option = make_option()
    (row,) = add_version(option, upload(hostile_pdfs.plain(), "东侧方案 v2.pdf", "application/pdf"))
    assert row.kind == FileKind.PDF and row.page_count == 1 and row.picture_name and row.phone_name
    login_as(dworld.resident)

    pdf = client.get(file_url(dworld, row.name))
    preview = client.get(file_url(dworld, row.phone_name))

    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.get_data() == hostile_pdfs.plain()
    assert pdf.headers["Content-Disposition"] == \
        "attachment; filename=\"v2.pdf\"; filename*=UTF-8''" + urllib.parse.quote("东侧方案 v2.pdf")
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert preview.mimetype == "image/jpeg"
    assert preview.headers["Content-Disposition"].startswith('inline; filename="v2.jpg"')


HOSTILE_NAMES = [
    'plan"; filename="evil.html',
    "plan\r\nSet-Cookie: a=b.png",
    "../../../etc/passwd.png",
    "drawing\u202egnp.exe",
    "长" * 300 + ".png",
]


@pytest.mark.parametrize("raw", HOSTILE_NAMES)
def test_hostile_file_names_are_stored_under_random_names_and_served_with_a_safe_header(
        dworld, client, login_as, make_option, add_version, upload_dir, raw):
    option = make_option()
    before = {p.name for p in upload_dir.iterdir()}
    (row,) = add_version(option, upload(plan_png("x"), raw))

    assert uploads.STORED_NAME.fullmatch(row.name)
    assert {p.name for p in upload_dir.iterdir()} - before == {row.name, row.phone_name, row.desktop_name}
    assert row.original_filename == uploads.clean_filename(raw)
    assert not any(ch in row.original_filename for ch in "\r\n\u202e/\\") and len(row.original_filename) <= 120
    login_as(dworld.resident)
    header = client.get(file_url(dworld, row.name)).headers["Content-Disposition"]
    assert header.startswith('inline; filename="') and header.count('"') == 2
    assert not any(ch in header for ch in "\r\n\u202e/\\")


def test_another_communitys_member_gets_404(dworld, client, login_as, make_option, add_version):
    option = make_option()
    (row,) = add_version(option, upload(plan_png("a")))
    login_as(dworld.outsider)

    assert client.get(file_url(dworld, row.name)).status_code == 404
    # Under their own community's address the file does not exist either.
    assert client.get(f"/c/{dworld.other_community.slug}/designs/files/{row.name}").status_code == 404


def test_a_private_options_files_are_404_to_residents_but_served_to_designers(dworld, client, login_as,
                                                                              make_option):
    make_option(published=False)
    name = db.session.execute(db.select(DesignFile.phone_name)).scalar_one()

    login_as(dworld.resident)
    assert client.get(file_url(dworld, name)).status_code == 404
    login_as(dworld.designer)
    assert client.get(file_url(dworld, name)).status_code == 200
    login_as(dworld.committee)
    assert client.get(file_url(dworld, name)).status_code == 200


@pytest.mark.parametrize("name", ["nope.jpg", "../../etc/passwd", "x" * 22 + ".html", "x" * 22 + ".jpg\n"])
def test_unknown_or_malformed_names_are_404(dworld, client, login_as, make_option, name):
    make_option()
    login_as(dworld.resident)

    assert client.get(file_url(dworld, urllib.parse.quote(name, safe=""))).status_code == 404


def test_signed_out_visitors_do_not_get_files(dworld, client, make_option):
    make_option()
    name = db.session.execute(db.select(DesignFile.name)).scalar_one()

    assert client.get(file_url(dworld, name)).status_code in (302, 303, 401, 404)
