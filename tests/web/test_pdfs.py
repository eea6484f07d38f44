"""PDF uploads: checked in a limited child process, active content and passwords refused, a first-page preview."""
from __future__ import annotations

import io
import subprocess
import sys
import urllib.parse

import pytest
from pypdf import PdfReader
from werkzeug.datastructures import FileStorage

from civic.web import pdfs, uploads
from civic.web.uploads import StoredImage, StoredPdf, UploadRejected, store_file, store_image, store_pdf, stored_path
from tests.security import hostile_pdfs



@pytest.fixture(autouse=True)
def english(app):
    """Messages in English (the site's default is Chinese), inside a request: gettext and the per-file cap."""
    from flask_babel import force_locale

    with app.test_request_context(), force_locale("en"):
        yield


def upload(data: bytes, filename: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type="application/octet-stream")


def files_in(directory) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_a_plain_pdf_is_stored_as_uploaded_with_a_reencoded_preview(tmp_path):
    data = hostile_pdfs.plain()

    stored = store_file(upload(data, "东侧方案.pdf"), upload_dir=tmp_path, allow_pdf=True)

    assert isinstance(stored, StoredPdf)
    assert uploads.STORED_NAME.fullmatch(stored.name) and stored.name.endswith(".pdf")
    assert stored_path(tmp_path, stored.name).read_bytes() == data
    assert (stored.page_count, stored.byte_size, stored.original_filename) == (1, len(data), "东侧方案.pdf")
    preview = stored.preview
    assert isinstance(preview, StoredImage) and preview.content_type == "image/jpeg"
    assert max(preview.width, preview.height) == 1600  # 300 x 200 pt drawn so the long side is 1600 px
    assert files_in(tmp_path) == sorted({stored.name, preview.name, *preview.thumbnails.values()})
    assert uploads.CONTENT_TYPES[".pdf"] == "application/pdf"


def test_a_twenty_page_pdf_counts_its_pages(tmp_path):
    stored = store_pdf(hostile_pdfs.pages_with_drawings(20), "set.pdf", upload_dir=tmp_path)

    assert stored.page_count == 20 and stored.preview is not None


REFUSALS = [
    pytest.param(hostile_pdfs.javascript_open_action, "contains JavaScript or actions", id="javascript-open-action"),
    pytest.param(hostile_pdfs.javascript_in_object_stream, "contains JavaScript or actions", id="javascript-in-objstm"),
    pytest.param(hostile_pdfs.javascript_uri_on_page, "contains JavaScript or actions", id="javascript-uri-link"),
    pytest.param(hostile_pdfs.launch_action, "contains JavaScript or actions", id="launch"),
    pytest.param(hostile_pdfs.embedded_file, "contains JavaScript or actions", id="embedded-file"),
    pytest.param(hostile_pdfs.encrypted, "is protected with a password", id="encrypted"),
    pytest.param(hostile_pdfs.header_only, "is not a real PDF", id="header-only"),
    pytest.param(lambda: hostile_pdfs.plain().replace(b"%%EOF", b"%%EOX"), "is not a real PDF", id="no-eof"),
    pytest.param(lambda: b"  " + hostile_pdfs.plain(), "not a JPEG, PNG or WebP picture or a PDF", id="header-late"),
    pytest.param(hostile_pdfs.cyclic_pages, "damaged or incomplete PDF", id="cyclic-page-tree"),
    pytest.param(hostile_pdfs.deep_nesting, "damaged or incomplete PDF", id="deep-nesting"),
    pytest.param(lambda: hostile_pdfs.too_many_pages(501), "between 1 and 500 pages", id="501-pages"),
]


@pytest.mark.parametrize(("make", "expected"), REFUSALS)
def test_hostile_pdfs_are_refused_with_a_message_and_nothing_is_stored(tmp_path, make, expected):
    with pytest.raises(UploadRejected) as refused:
        store_file(upload(make(), "drawing.pdf"), upload_dir=tmp_path, allow_pdf=True)

    assert expected in refused.value.message and "drawing.pdf" in refused.value.message
    assert files_in(tmp_path) == []


def test_the_object_stream_sample_really_hides_its_script_in_compressed_bytes():
    data = hostile_pdfs.javascript_in_object_stream()
    action = PdfReader(io.BytesIO(data)).get_object(5)

    assert action["/S"] == "/JavaScript"
    assert b"/JavaScript" not in data and b"/JS" not in data  # a byte scan would miss it; the object walk does not


def test_five_hundred_pages_are_fine(tmp_path):
    assert store_pdf(hostile_pdfs.too_many_pages(500), "big.pdf", upload_dir=tmp_path).page_count == 500


def test_a_check_that_takes_too_long_is_stopped_and_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(pdfs, "CHECK_SECONDS", 0.001)

    with pytest.raises(UploadRejected) as refused:
        store_pdf(hostile_pdfs.plain(), "slow.pdf", upload_dir=tmp_path)

    assert "slow.pdf could not be checked in time" in refused.value.message
    assert files_in(tmp_path) == []


def test_a_child_killed_by_its_limits_is_a_refusal_not_a_500(tmp_path, monkeypatch):
    killed = tmp_path / "killed.py"
    killed.write_text("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    monkeypatch.setattr(pdfs, "CHILD", killed)

    with pytest.raises(UploadRejected) as refused:
        store_pdf(hostile_pdfs.plain(), "huge.pdf", upload_dir=tmp_path / "out")

    assert "could not be checked in time" in refused.value.message
    assert files_in(tmp_path / "out") == []


def test_the_child_really_runs_under_memory_and_cpu_limits():
    script = (f"import sys; sys.path.insert(0, {str(pdfs.CHILD.parent)!r}); import pdfcheck, resource; "
              "pdfcheck.limit_resources(); print(resource.getrlimit(resource.RLIMIT_CPU)[0]); "
              "block = bytearray(1024 * 1024 * 1024)")
    done = subprocess.run([sys.executable, "-I", "-c", script], capture_output=True, timeout=30, check=False)

    assert done.stdout.strip() == b"8"
    assert done.returncode != 0 and b"MemoryError" in done.stderr


def test_a_preview_that_cannot_be_used_costs_only_the_preview(tmp_path, monkeypatch):
    monkeypatch.setattr(pdfs, "check", lambda data, label: pdfs.PdfReport(page_count=3, preview_png=b"not a png"))

    stored = store_pdf(hostile_pdfs.plain(), "plan.pdf", upload_dir=tmp_path)

    assert stored.preview is None and stored.page_count == 3
    assert files_in(tmp_path) == [stored.name]


def test_type_is_decided_by_content_not_by_name(tmp_path):
    pdf_as_png = store_file(upload(hostile_pdfs.plain(), "plan.png"), upload_dir=tmp_path, allow_pdf=True)
    png_as_pdf = store_file(upload(_png(), "plan.pdf"), upload_dir=tmp_path, allow_pdf=True)

    assert isinstance(pdf_as_png, StoredPdf) and pdf_as_png.name.endswith(".pdf")
    assert isinstance(png_as_pdf, StoredImage) and png_as_pdf.name.endswith(".jpg")


def test_where_pdfs_are_not_allowed_a_pdf_is_refused_and_named_as_such(tmp_path):
    with pytest.raises(UploadRejected) as refused:
        store_image(upload(hostile_pdfs.plain(), "plan.png"), upload_dir=tmp_path)
    with pytest.raises(UploadRejected):
        store_file(upload(hostile_pdfs.plain(), "plan.pdf"), upload_dir=tmp_path)

    assert "plan.png is a PDF; only photos" in refused.value.message
    assert files_in(tmp_path) == []


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("raw", [
    'plan"; filename="evil.html',
    "plan\r\nSet-Cookie: a=b.pdf",
    "../../etc/passwd",
    "C:\\Users\\x\\..\\plan.pdf",
    "invoice\u202efdp.exe",
    "方" * 300 + ".pdf",
    "",
    "....pdf",
])
def test_content_disposition_is_safe_for_hostile_names(raw):
    header = uploads.content_disposition("attachment", raw, fallback="design")

    kind, plain, extended = header.split("; ")
    assert kind == "attachment"
    assert not any(ch in header for ch in "\r\n\u202e\\/")
    ascii_name = plain.removeprefix('filename="').removesuffix('"')
    assert plain.startswith('filename="') and '"' not in ascii_name and ";" not in ascii_name
    assert ascii_name.isascii() and not ascii_name.startswith(".") and ascii_name
    assert extended.startswith("filename*=UTF-8''")
    shown = urllib.parse.unquote(extended.removeprefix("filename*=UTF-8''"))
    assert shown == (uploads.clean_filename(raw) or "design") and len(shown) <= uploads.MAX_NAME_CHARS


def test_content_disposition_keeps_plain_names_readable():
    assert uploads.content_disposition("inline", "plan v2.jpg") == \
        "inline; filename=\"plan_v2.jpg\"; filename*=UTF-8''plan%20v2.jpg"
    assert uploads.content_disposition("attachment", "方案A.pdf").startswith('attachment; filename="A.pdf"')
    assert uploads.content_disposition("attachment", "东侧方案.pdf", fallback="design").startswith(
        'attachment; filename="design.pdf"; filename*=UTF-8\'\'%E4%B8%9C')
