"""Issue 6 "Bad input": every hostile file through the real version upload (service and HTTP) is refused with a
clear message, never a 500, and leaves nothing behind; bodies over the cap get a readable 413."""
from __future__ import annotations

import io
import struct
import time
import zlib

import pytest
from PIL import Image

from civic.clock import utcnow
from civic.designs import services
from civic.designs.models import DesignOption, DesignVersion, FileKind
from civic.extensions import db
from civic.web.uploads import STORED_NAME, UploadRejected
from tests.conftest import PASSWORD, csrf_token_from
from tests.designs.conftest import SPEC, dworld, en, make_option, plan_png, upload, upload_dir  # noqa: F401
from tests.security import hostile_pdfs


def encoded(fmt: str, size=(64, 48), **options) -> bytes:
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(buffer, fmt, **options)
    return buffer.getvalue()


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A PNG that declares 50,000 x 50,000 pixels in a few hundred bytes: the IHDR is written by hand."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 4096, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def psd() -> bytes:
    """Photoshop: a header, empty sections, raw 2 x 2 RGB."""
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 2, 2, 8, 3)
    return header + struct.pack(">III", 0, 0, 0) + struct.pack(">H", 0) + b"\x80" * 12


def fits() -> bytes:
    cards = ["SIMPLE  =                    T", "BITPIX  =                    8", "NAXIS   =                    2",
             "NAXIS1  =                    2", "NAXIS2  =                    2", "END"]
    header = "".join(card.ljust(80) for card in cards).ljust(2880).encode("ascii")
    return header + b"\x01\x02\x03\x04".ljust(2880, b"\0")


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
GIF_HTML = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04" + b"<script>alert(1)</script>" + HTML

HOSTILE = [
    pytest.param(HTML, "page.html", "is not a JPEG, PNG or WebP picture or a PDF", id="html"),
    pytest.param(SVG, "plan.svg", "is not a JPEG, PNG or WebP picture or a PDF", id="svg"),
    pytest.param(GIF_HTML, "plan.gif", "is not a JPEG, PNG or WebP picture or a PDF", id="gif-html-polyglot"),
    pytest.param(HTML, "plan.jpg", "is not a JPEG, PNG or WebP picture or a PDF", id="html-named-jpg"),
    pytest.param(b"", "empty.png", "is empty", id="zero-bytes"),
    pytest.param(encoded("JPEG", (800, 600))[:3000], "half.jpg", "is damaged or incomplete", id="truncated-jpeg"),
    pytest.param(png_bomb(), "bomb.png", "has too many pixels", id="png-50000x50000"),
    pytest.param(encoded("TIFF"), "scan.tif", "is not a JPEG, PNG or WebP picture or a PDF", id="tiff"),
    pytest.param(psd(), "plan.psd", "is not a JPEG, PNG or WebP picture or a PDF", id="psd"),
    pytest.param(fits(), "sky.fits", "is not a JPEG, PNG or WebP picture or a PDF", id="fits"),
    pytest.param(hostile_pdfs.javascript_open_action(), "plan.pdf", "contains JavaScript", id="pdf-javascript"),
    pytest.param(hostile_pdfs.javascript_in_object_stream(), "plan.pdf", "contains JavaScript", id="pdf-js-objstm"),
    pytest.param(hostile_pdfs.launch_action(), "plan.pdf", "contains JavaScript", id="pdf-launch"),
    pytest.param(hostile_pdfs.encrypted(), "plan.pdf", "is protected with a password", id="pdf-encrypted"),
    pytest.param(hostile_pdfs.header_only(), "plan.pdf", "is not a real PDF", id="pdf-header-only"),
    pytest.param(hostile_pdfs.cyclic_pages(), "plan.pdf", "is a damaged or incomplete PDF", id="pdf-cyclic-pages"),
    pytest.param(hostile_pdfs.deep_nesting(), "plan.pdf", "is a damaged or incomplete PDF", id="pdf-deep"),
]


@pytest.fixture
def english(app):
    """Service-level messages in English (the site's default locale is Chinese)."""
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):
        yield


def stored_files(upload_dir) -> set[str]:
    return {p.name for p in upload_dir.iterdir()} if upload_dir.exists() else set()


@pytest.mark.parametrize(("data", "filename", "expected"), HOSTILE)
def test_the_version_service_refuses_hostile_files_and_keeps_nothing(dworld, make_option, upload_dir, english,
                                                                     data, filename, expected):
    option = make_option()
    before = stored_files(upload_dir)
    good = upload(plan_png("fine"))  # a good file first: it must be removed again when the second is refused

    started = time.monotonic()
    with pytest.raises(UploadRejected) as refused:
        services.add_version(option, dworld.project, actor=dworld.designer, uploads=[good, upload(data, filename)],
                             change_note="v2", spec=SPEC, now=utcnow())

    assert time.monotonic() - started < 12  # the PDF check's own timeout is 10 s; everything else is fast
    assert expected in refused.value.message and filename in refused.value.message
    assert stored_files(upload_dir) == before
    db.session.rollback()
    assert db.session.get(DesignOption, option.id).version_count == 1


def test_a_pixel_bomb_is_refused_quickly(dworld, make_option, upload_dir):
    option = make_option()
    started = time.monotonic()
    with pytest.raises(UploadRejected):
        services.add_version(option, dworld.project, actor=dworld.designer, uploads=[upload(png_bomb(), "b.png")],
                             change_note="", spec=SPEC, now=utcnow())
    assert time.monotonic() - started < 1.0
    assert len(png_bomb()) < 5_000


def test_type_by_content_in_a_version_a_pdf_named_png_and_a_png_named_pdf(dworld, make_option, upload_dir):
    option = make_option()
    version = services.add_version(option, dworld.project, actor=dworld.designer, change_note="", spec=SPEC,
                                   uploads=[upload(hostile_pdfs.plain(), "plan.png", "image/png"),
                                            upload(plan_png("p"), "plan.pdf", "application/pdf")], now=utcnow())
    db.session.commit()

    pdf, image = version.files
    assert (pdf.kind, image.kind) == (FileKind.PDF, FileKind.IMAGE)
    assert pdf.name.endswith(".pdf") and image.name.endswith(".jpg")
    assert all(STORED_NAME.fullmatch(n) for n in (pdf.name, pdf.picture_name, image.name))


# Through HTTP: the designer's real form (options helper's designs.new_version).

def version_url(dworld, option) -> str:
    return f"/c/{dworld.community.slug}/designs/{option.id}/versions/new"


def form_data(files) -> dict:
    return {"files": [(io.BytesIO(data), name) for data, name in files], "change_note": "东侧加宽",
            "cost_yuan": "120000", "capacity": "6", "capacity_unit": "个桶位"}


@pytest.mark.parametrize(("data", "filename", "expected"), [p for p in HOSTILE if p.id in {
    "html", "svg", "gif-html-polyglot", "zero-bytes", "truncated-jpeg", "png-50000x50000", "tiff", "psd", "fits",
    "pdf-javascript", "pdf-js-objstm", "pdf-launch", "pdf-encrypted", "pdf-header-only"}])
def test_the_version_form_refuses_hostile_files_with_422_and_keeps_nothing(dworld, en, login_as, make_option,
                                                                          upload_dir, data, filename, expected):
    option = make_option()
    before = stored_files(upload_dir)
    client = login_as(dworld.designer)

    response = client.post(version_url(dworld, option), data=form_data([(plan_png("ok"), "ok.png"), (data, filename)]),
                           content_type="multipart/form-data")

    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert expected in text and "东侧加宽" in text  # the message, and the designer's text kept
    assert stored_files(upload_dir) == before
    assert db.session.execute(db.select(db.func.count(DesignVersion.id))).scalar_one() == 1


def test_the_version_form_accepts_a_pdf_and_a_photo_by_content(dworld, en, login_as, make_option, upload_dir):
    option = make_option()
    client = login_as(dworld.designer)

    response = client.post(version_url(dworld, option),
                           data=form_data([(hostile_pdfs.plain(), "plan.png"), (plan_png("p"), "plan.pdf")]),
                           content_type="multipart/form-data")

    assert response.status_code == 303
    db.session.expire_all()
    kinds = [f.kind for f in db.session.execute(db.select(DesignVersion).where(DesignVersion.number == 2)).scalar_one().files]
    assert kinds == [FileKind.PDF, FileKind.IMAGE]


def test_a_resident_who_is_not_a_designer_cannot_upload(dworld, login_as, make_option, upload_dir):
    option = make_option()
    before = stored_files(upload_dir)
    client = login_as(dworld.resident)

    response = client.post(version_url(dworld, option), data=form_data([(plan_png("x"), "x.png")]),
                           content_type="multipart/form-data")

    assert response.status_code in (403, 404)
    assert stored_files(upload_dir) == before


# Over the request cap: a readable 413, a fragment for htmx aimed at the form's error area.

@pytest.fixture
def small_cap(monkeypatch):
    from civic.designs import views_options

    monkeypatch.setattr(views_options, "REQUEST_CAP", 256 * 1024)


def big_body(dworld, option, client, **headers):
    blob = b"\0" * (512 * 1024)
    return client.post(version_url(dworld, option), data=form_data([(blob, "huge.png")]),
                       content_type="multipart/form-data", headers=headers)


def test_over_the_cap_is_a_readable_413_page_in_english(dworld, en, login_as, make_option, upload_dir, small_cap):
    option = make_option()
    response = big_body(dworld, option, login_as(dworld.designer))

    text = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "The upload is too large" in text and "at most 0 MB" not in text and "<html" in text.lower()
    assert "HX-Retarget" not in response.headers


def test_over_the_cap_is_a_readable_413_page_in_chinese(dworld, client, login_as, make_option, upload_dir,
                                                        small_cap, monkeypatch):
    from civic.designs import views_options

    monkeypatch.setattr(views_options, "REQUEST_CAP", 1024 * 1024 + 1)
    option = make_option()
    client = login_as(dworld.designer)
    response = client.post(version_url(dworld, option), data=form_data([(b"\0" * (2 * 1024 * 1024), "a.png")]),
                           content_type="multipart/form-data")

    assert response.status_code == 413
    assert "太大" in response.get_data(as_text=True)


def test_over_the_cap_for_htmx_is_a_fragment_retargeted_at_the_forms_error_area(dworld, en, login_as, make_option,
                                                                                upload_dir, small_cap):
    option = make_option()
    response = big_body(dworld, option, login_as(dworld.designer), **{"HX-Request": "true"})

    text = response.get_data(as_text=True)
    assert response.status_code == 413
    assert response.headers["HX-Retarget"] == "#version-form-errors"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert "Vary" in response.headers and "HX-Request" in response.headers["Vary"]
    assert "The upload is too large" in text and "<html" not in text.lower() and 'role="alert"' in text


def test_a_413_elsewhere_for_htmx_is_not_retargeted(make_app):
    client = make_app(MAX_CONTENT_LENGTH=1024).test_client()
    response = client.post("/register", data={"code": "x" * 4096}, headers={"HX-Request": "true"})

    assert response.status_code == 413 and "HX-Retarget" not in response.headers


def test_with_csrf_on_the_version_form_may_exceed_the_app_wide_cap(dworld, make_app, make_option, tmp_path):
    """CSRFProtect reads the body in before_request: the form's own cap must already be in place then."""
    option = make_option()
    app = make_app(WTF_CSRF_ENABLED=True, MAX_CONTENT_LENGTH=64 * 1024, UPLOAD_DIR=str(tmp_path / "strict"))
    client = app.test_client()
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    client.post("/login", data={"username": dworld.designer.username, "password": PASSWORD, "csrf_token": token})
    token = csrf_token_from(client.get(version_url(dworld, option)).get_data(as_text=True))
    photo = encoded("PNG", (400, 300))
    noise = io.BytesIO()
    Image.effect_noise((300, 300), 80).convert("RGB").save(noise, "PNG")
    assert len(noise.getvalue()) > 64 * 1024

    response = client.post(version_url(dworld, option), content_type="multipart/form-data",
                           data={**form_data([(noise.getvalue(), "noise.png"), (photo, "plan.png")]), "csrf_token": token})

    assert response.status_code == 303
