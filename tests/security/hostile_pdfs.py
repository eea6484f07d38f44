"""Hand-built PDFs for the upload tests: plain, with scripts or launch actions (also hidden in object streams), broken."""
from __future__ import annotations

import io
import zlib

from PIL import Image, ImageDraw

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R >>"
CONTENT = b"<< /Length 35 >>\nstream\n0 0 1 rg 20 20 200 100 re f\nBT ET\nendstream"


def build(objects: list[bytes], *, trailer_extra: bytes = b"") -> bytes:
    """A classic PDF: objects numbered from 1 (object 1 is the catalog), a correct xref table and trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref))
    return out.getvalue()


def plain() -> bytes:
    """One page with a blue rectangle."""
    return build([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", PAGE, CONTENT])


def with_catalog(extra: bytes, *more: bytes) -> bytes:
    """A plain one-page PDF whose catalog carries `extra` (objects from number 5 on may follow)."""
    return build([b"<< /Type /Catalog /Pages 2 0 R " + extra + b" >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                  PAGE, CONTENT, *more])


def javascript_open_action() -> bytes:
    return with_catalog(b"/OpenAction 5 0 R", b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>")


def launch_action() -> bytes:
    return with_catalog(b"/OpenAction << /S /Launch /F (cmd.exe) >>")


def javascript_uri_on_page() -> bytes:
    """A link annotation whose URI is javascript: (with a tab inside the scheme)."""
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R /Annots [<< /Type /Annot "
            b"/Subtype /Link /Rect [0 0 300 200] /A << /S /URI /URI (java\tscript:alert\\(1\\)) >> >>] >>")
    return build([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, CONTENT])


def javascript_in_object_stream() -> bytes:
    """The catalog's /AA points to object 5, which only exists inside a compressed object stream (object 6)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R /AA << /WC 5 0 R >> >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               PAGE, CONTENT]
    hidden = b"<< /S /JavaScript /JS (this.exportDataObject\\({cName: 'x'}\\)) >>"
    packed = zlib.compress(b"5 0 " + hidden)
    stream = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream" % (
        len(packed), packed)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate([*objects, stream], start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref_at = out.tell()
    # A cross-reference stream (object 7): type 1 = at an offset, type 2 = inside object stream 6.
    def row(kind: int, field: int) -> bytes:
        return bytes([kind]) + field.to_bytes(4, "big") + b"\x00"

    rows = [b"\x00\x00\x00\x00\x00\xff"] + [row(1, offset) for offset in offsets[:4]]  # free 0, objects 1-4
    rows += [row(2, 6), row(1, offsets[4]), row(1, xref_at)]  # 5 inside stream 6 (index 0), 6, this xref (7)
    data = zlib.compress(b"".join(rows))
    out.write(b"7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 1] /Root 1 0 R /Filter /FlateDecode /Length %d >>\n"
              b"stream\n%s\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % (len(data), data, xref_at))
    return out.getvalue()


def embedded_file() -> bytes:
    return with_catalog(b"/Names << /EmbeddedFiles << /Names [(a.exe) 5 0 R] >> >>",
                        b"<< /Type /Filespec /F (a.exe) /EF << /F 6 0 R >> >>",
                        b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream")


def encrypted() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain())))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def cyclic_pages() -> bytes:
    """A page tree whose kid is its own parent, claiming a billion pages."""
    return build([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1000000000 >>",
                  b"<< /Type /Pages /Parent 3 0 R /Kids [3 0 R 2 0 R] /Count 1000000000 >>"])


def deep_nesting(depth: int = 50_000) -> bytes:
    """An array nested far deeper than any parser's recursion limit."""
    return with_catalog(b"/Deep " + b"[" * depth + b"]" * depth)


def header_only() -> bytes:
    return b"%PDF-1.7\n"


def pages_with_drawings(count: int, size=(1190, 842)) -> bytes:
    """A multi-page PDF of A3 landscape "drawings", made by Pillow (the bench uses 20 of them)."""
    pages = []
    for n in range(count):
        page = Image.new("RGB", size, "white")
        draw = ImageDraw.Draw(page)
        draw.rectangle([40, 40, size[0] - 40, size[1] - 40], outline=(30, 60, 140), width=6)
        draw.line([(40 + 20 * n, 40), (40 + 20 * n, size[1] - 40)], fill=(200, 40, 40), width=4)
        draw.text((60, 60), f"sheet {n + 1}", fill="black")
        pages.append(page)
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=100)
    return out.getvalue()


def too_many_pages(count: int) -> bytes:
    """`count` blank pages under one /Pages node (no drawing: the page count is what is being tested)."""
    kids = b" ".join(b"%d 0 R" % (n + 3) for n in range(count))
    pages = [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>"] * count
    return build([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
                  *pages])
