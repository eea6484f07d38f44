"""The child process that checks one PDF: limits first, then parse, refuse active content, draw page one.

Run as `python -I civic/web/pdfcheck.py` with the PDF on stdin (never imported by the web app): a hostile PDF
can at worst exhaust this process, which the parent kills after its timeout. Output on stdout is one JSON line,
then the first page as PNG bytes when it could be drawn. Only the standard library and the PDF libraries are
imported, so the child starts fast and shares nothing with the app.
"""
from __future__ import annotations

import json
import resource
import sys

MEMORY_BYTES = 512 * 1024 * 1024  # address space: pdfium, pypdf and one 1600 px bitmap fit easily
CPU_SECONDS = 8  # below the parent's wall-clock timeout, so a CPU-bound loop dies by itself
MAX_PAGES = 500
PREVIEW_LONG_SIDE = 1600
MAX_SCALE = 8.0  # a tiny page (a label) is not blown up past 8x (576 dpi)
# Names that start or carry something other than a drawing: scripts, programs, files, forms that send data.
FORBIDDEN = frozenset({
    "/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/SubmitForm",
    "/ImportData", "/GoToR", "/GoToE", "/Rendition", "/XFA",
})
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


class Refused(Exception):
    """`code` tells the parent which message to show."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def limit_resources() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))  # the check never writes a file
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _bad_uri(action) -> bool:  # noqa: ANN001
    uri = action.get("/URI")
    if hasattr(uri, "get_object"):
        uri = uri.get_object()  # a string object: resolving it cannot loop
    if not isinstance(uri, (str, bytes)):
        return False
    text = uri.decode("latin-1") if isinstance(uri, bytes) else str(uri)
    # Viewers ignore whitespace and control characters inside a scheme ("java\tscript:").
    squeezed = "".join(ch for ch in text if ch > " ").lower()
    return squeezed.startswith(BAD_SCHEMES)


def inspect_object(root) -> None:  # noqa: ANN001
    """Every name (key or value) and every URI in one object's direct tree; indirect objects are walked separately."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, DictionaryObject):  # streams too: their dictionary is what can act
            raw = dict(dict.items(item))  # dict's own view: indirect references stay unresolved, so no cycles
            if any(key in FORBIDDEN for key in raw) or _bad_uri(raw):
                raise Refused("active")
            stack.extend(raw.values())
        elif isinstance(item, ArrayObject):
            stack.extend(list.__iter__(item))
        elif isinstance(item, NameObject) and item in FORBIDDEN:
            raise Refused("active")


def walk(reader) -> None:  # noqa: ANN001
    """Every indirect object the file has, including the ones packed in compressed object streams."""
    from pypdf.generic import IndirectObject

    inspect_object(reader.trailer)
    numbers = {(num, gen) for gen, table in reader.xref.items() for num in table}
    numbers |= {(num, 0) for num in reader.xref_objStm}
    for num, gen in sorted(numbers):
        inspect_object(reader.get_object(IndirectObject(num, gen, reader)))


def check_structure(data: bytes) -> None:
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise Refused("encrypted")
    walk(reader)


def preview_png(page) -> bytes | None:  # noqa: ANN001
    import io

    width, height = page.get_size()
    if width <= 0 or height <= 0:
        return None
    scale = min(MAX_SCALE, PREVIEW_LONG_SIDE / max(width, height))
    image = page.render(scale=scale).to_pil()
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, "PNG", compress_level=1)  # fast: the parent re-encodes it anyway
    return buffer.getvalue()


def pages_and_preview(data: bytes) -> tuple[int, bytes | None]:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise Refused("encrypted" if "password" in str(error).lower() else "damaged") from None
    count = len(pdf)
    if not 1 <= count <= MAX_PAGES:
        raise Refused("pages")
    try:
        png = preview_png(pdf[0])
    except Exception:  # noqa: BLE001 - a drawing problem only costs the preview, never the upload
        png = None
    return count, png


def check(data: bytes) -> tuple[dict, bytes]:
    check_structure(data)
    count, png = pages_and_preview(data)
    return {"ok": True, "pages": count, "preview": png is not None}, png or b""


def main() -> int:
    limit_resources()
    data = sys.stdin.buffer.read()
    try:
        result, png = check(data)
    except Refused as refused:
        result, png = {"ok": False, "code": refused.code}, b""
    except MemoryError:
        result, png = {"ok": False, "code": "limits"}, b""
    except RecursionError:
        result, png = {"ok": False, "code": "damaged"}, b""
    except Exception:  # noqa: BLE001 - whatever a broken file makes the parsers raise, it is a refusal
        result, png = {"ok": False, "code": "damaged"}, b""
    sys.stdout.buffer.write(json.dumps(result).encode() + b"\n" + png)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
