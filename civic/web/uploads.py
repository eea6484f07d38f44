"""User uploads: size caps, type by content, images re-encoded without metadata, PDFs checked, random names, serving."""
from __future__ import annotations

import io
import re
import secrets
import unicodedata
import urllib.parse
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps
from werkzeug.datastructures import FileStorage

from civic.web import pdfs
# Re-exported: the caps live in their own module, but callers know them as uploads.*.
from civic.web.upload_limits import (_MIB, MAX_IMAGE_BYTES, ClientLimits, allow_request_bytes,  # noqa: F401
                                     client_limits, max_file_bytes, upload_error_target)

MAX_PIXELS = 64_000_000  # 50 MP phone cameras fit; below Pillow's own bomb threshold (~89 M), so our check bites first
MAX_LONG_SIDE = 2560
THUMBNAILS = {"phone": 480, "desktop": 1024}
MAX_NAME_CHARS = 120
JPEG_OPTIONS = {"quality": 85, "progressive": True, "optimize": True}
ALLOWED_FORMATS = ["JPEG", "PNG", "WEBP"]
CONTENT_TYPES = {".jpg": "image/jpeg", ".png": "image/png", ".pdf": "application/pdf"}
# Exactly the names this module writes: token_urlsafe(16) is 22 chars; fullmatch, because `$` allows a trailing "\n".
STORED_NAME = re.compile(r"[A-Za-z0-9_-]{20,32}((_480|_1024)?\.(jpg|png)|\.pdf)")


class UploadRejected(Exception):
    """The file cannot be accepted; `message` is translated for the user, `filename` is the cleaned display name."""

    def __init__(self, message: str, filename: str):
        super().__init__(message)
        self.message = message
        self.filename = filename


@dataclass(frozen=True)
class StoredImage:
    name: str  # file name inside upload_dir of the full-size image
    width: int
    height: int
    content_type: str
    thumbnails: dict[str, str]  # "phone"/"desktop" -> file name (the full image's name when it is already small)
    original_filename: str  # for display only, never for a path


def clean_filename(raw: str | None) -> str:
    """A display name: no directories, no control or bidi-override characters, bounded length."""
    text = unicodedata.normalize("NFC", raw or "")
    # Category C covers NUL, newlines and the invisible format characters used to spoof extensions.
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("C"))
    # Browsers on Windows may send "C:\\Users\\...\\photo.jpg", so split on both separators.
    text = re.split(r"[/\\]", text)[-1]
    return text.strip()[:MAX_NAME_CHARS].strip()


def _read_capped(stream: IO[bytes], limit: int) -> bytes:
    """At most limit + 1 bytes: enough to tell "too big" without holding an arbitrarily large file."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = stream.read(min(_MIB, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _read(upload: FileStorage, label: str) -> bytes:
    limit = max_file_bytes()
    data = _read_capped(upload.stream, limit)
    if len(data) > limit:
        mb = max(1, round(limit / _MIB))
        raise UploadRejected(_("The photo %(name)s is larger than %(mb)d MB.", name=label, mb=mb), label)
    if not data:
        raise UploadRejected(_("%(name)s is empty.", name=label), label)
    return data


def _too_many_pixels(label: str) -> UploadRejected:
    message = _("The photo %(name)s has too many pixels (at most %(mp)d million).",
                name=label, mp=MAX_PIXELS // 1_000_000)
    return UploadRejected(message, label)


def _decode(data: bytes, label: str, allow_pdf: bool = False) -> Image.Image:
    """Decode fully, so every hostile or broken file fails here as UploadRejected rather than as a 500 later."""
    with warnings.catch_warnings():
        # Pillow only *warns* between 1x and 2x its limit; a warning must stop the upload too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS) as img:
                # The header gives the size; refuse before decoding allocates width*height pixels.
                if img.width * img.height > MAX_PIXELS:
                    raise _too_many_pixels(label)
                if img.format == "JPEG":
                    # Let libjpeg decode at 1/2, 1/4 or 1/8 scale: a 50 MP photo never needs full-size pixels here.
                    img.draft("RGB", (MAX_LONG_SIDE, MAX_LONG_SIDE))
                img.load()
                return _normalise(img)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError):
            raise _too_many_pixels(label) from None
        except Image.UnidentifiedImageError:
            raise UploadRejected(_unknown_type(data, label, allow_pdf), label) from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise UploadRejected(_("%(name)s is damaged or incomplete.", name=label), label) from None


def _unknown_type(data: bytes, label: str, allow_pdf: bool) -> str:
    if allow_pdf:
        return _("%(name)s is not a JPEG, PNG or WebP picture or a PDF.", name=label)
    if data.startswith(b"%PDF-"):
        return _("%(name)s is a PDF; only photos (JPEG, PNG or WebP) can be added here.", name=label)
    return _("%(name)s is not a JPEG, PNG or WebP photo.", name=label)


def _normalise(img: Image.Image) -> Image.Image:
    """Upright RGB on a brand-new image: nothing from the file's info (EXIF, GPS, XMP, ICC, comments) comes along."""
    img = ImageOps.exif_transpose(img)
    if img.mode in ("I", "F") or img.mode.startswith("I;16"):
        # 16-bit greyscale PNG: plain convert() would clip almost everything to white.
        img = img.convert("I").point(lambda v: v / 256).convert("L")
    clean = Image.new("RGB", img.size, "white")
    if img.has_transparency_data:
        rgba = img.convert("RGBA")
        clean.paste(rgba, mask=rgba.getchannel("A"))  # JPEG has no alpha: composite onto white
    else:
        clean.paste(img.convert("RGB"))
    return clean


def _fit(img: Image.Image, long_side: int) -> Image.Image:
    """Shrink so the long side is at most long_side; never upscale."""
    scale = long_side / max(img.size)
    if scale >= 1:
        return img
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    # reducing_gap: a big shrink (thumbnails) first halves by box filter, then Lanczos; 3.0 looks the same and is faster.
    return img.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def _jpeg(img: Image.Image) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", **JPEG_OPTIONS)  # no exif=/icc_profile=: the clean image has no info to carry
    return buffer.getvalue()


def _renditions(full: Image.Image, token: str) -> tuple[dict[str, bytes], dict[str, str]]:
    """Encoded files by name, and the thumbnail names; a thumbnail no smaller than the full image reuses it."""
    files = {f"{token}.jpg": _jpeg(full)}
    thumbnails: dict[str, str] = {}
    for key, side in sorted(THUMBNAILS.items(), key=lambda item: item[1]):
        if max(full.size) <= side:
            thumbnails[key] = f"{token}.jpg"
            continue
        name = f"{token}_{side}.jpg"
        files[name] = _jpeg(_fit(full, side))
        thumbnails[key] = name
    return files, thumbnails


def _write_all(directory: Path, files: dict[str, bytes]) -> None:
    """All files or none: a failure part-way removes what this call wrote (and only that)."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        for name, data in files.items():
            path = directory / name
            with path.open("xb") as fh:  # "x": never overwrite an existing upload
                written.append(path)
                fh.write(data)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def store_image(upload: FileStorage, *, upload_dir: str | Path) -> StoredImage:
    """Check, clean and store one user image; raises UploadRejected with a message for the user."""
    label = clean_filename(upload.filename)
    shown = label or _("(unnamed file)")
    return _store_image_bytes(_read(upload, shown), shown, label, upload_dir=upload_dir)


def _store_image_bytes(data: bytes, shown: str, label: str, *, upload_dir: str | Path,
                       allow_pdf: bool = False) -> StoredImage:
    full = _fit(_decode(data, shown, allow_pdf), MAX_LONG_SIDE)
    token = secrets.token_urlsafe(16)
    # Encode everything before writing anything, so an encoder error leaves no files behind.
    files, thumbnails = _renditions(full, token)
    _write_all(Path(upload_dir), files)
    return StoredImage(name=f"{token}.jpg", width=full.width, height=full.height, content_type="image/jpeg",
                       thumbnails=thumbnails, original_filename=label)


@dataclass(frozen=True)
class StoredPdf:
    name: str  # the checked PDF, stored as uploaded under a random name ("<token>.pdf")
    page_count: int
    byte_size: int
    preview: StoredImage | None  # the first page as a re-encoded image with thumbnails, when it could be drawn
    original_filename: str


def store_pdf(data: bytes, label: str, *, upload_dir: str | Path, original_filename: str | None = None) -> StoredPdf:
    """Check a PDF (header, page count, no JavaScript or launch actions) in a child process that cannot hang a
    worker, store it as uploaded under a random name, with its first page as a re-encoded preview when possible."""
    try:
        report = pdfs.check(data, label)
    except pdfs.PdfRefused as refused:
        raise UploadRejected(refused.message, label) from None
    original = label if original_filename is None else original_filename
    preview = _preview(report.preview_png, label, original, upload_dir)
    token = secrets.token_urlsafe(16)
    try:
        _write_all(Path(upload_dir), {f"{token}.pdf": data})
    except BaseException:
        if preview:
            delete_image(upload_dir, preview)
        raise
    return StoredPdf(name=f"{token}.pdf", page_count=report.page_count, byte_size=len(data), preview=preview,
                     original_filename=original)


def _preview(png: bytes | None, label: str, original: str, upload_dir: str | Path) -> StoredImage | None:
    """The drawn first page through the same image pipeline; a page that will not draw only costs the preview."""
    if not png:
        return None
    try:
        return _store_image_bytes(png, label, original, upload_dir=upload_dir)
    except UploadRejected:
        return None


def store_file(upload: FileStorage, *, upload_dir: str | Path, allow_pdf: bool = False) -> StoredImage | StoredPdf:
    """An image (JPEG/PNG/WebP, re-encoded) or, where the caller allows it, a checked PDF: decided by content."""
    label = clean_filename(upload.filename)
    shown = label or _("(unnamed file)")
    data = _read(upload, shown)
    if allow_pdf and data.startswith(b"%PDF-"):
        return store_pdf(data, shown, upload_dir=upload_dir, original_filename=label)
    return _store_image_bytes(data, shown, label, upload_dir=upload_dir, allow_pdf=allow_pdf)


def stored_path(upload_dir: str | Path, name: str) -> Path:
    """The file for a name this module produced; anything else (or a missing file) is FileNotFoundError."""
    if not isinstance(name, str) or not STORED_NAME.fullmatch(name):
        raise FileNotFoundError(name)
    path = Path(upload_dir) / name
    if not path.is_file():
        raise FileNotFoundError(name)
    return path


PRIVATE_CACHE = "private, max-age=86400"  # checked per request, then only this user's browser keeps it a day
# Stored names are random and never reused for other bytes: a browser may keep them for a year without asking.
IMMUTABLE_CACHE = "private, max-age=31536000, immutable"


def send_stored(name: str, *, cache: str = PRIVATE_CACHE, disposition: str | None = None):  # noqa: ANN201
    """Serve a stored file after the caller's access check: fixed Content-Type, nosniff, private caching, ETag."""
    from flask import abort, send_file

    try:
        path = stored_path(current_app.config["UPLOAD_DIR"], name)
    except FileNotFoundError:
        abort(404)
    response = send_file(path, mimetype=CONTENT_TYPES[path.suffix], conditional=True)
    response.headers["Cache-Control"] = cache
    response.headers["X-Content-Type-Options"] = "nosniff"
    if disposition:
        response.headers["Content-Disposition"] = disposition
    return response


def content_disposition(kind: str, filename: str | None, *, fallback: str = "file") -> str:
    """`inline` or `attachment` with the cleaned name: RFC 5987 UTF-8 form plus a plain ASCII name for old clients."""
    name = clean_filename(filename) or fallback
    quoted = urllib.parse.quote(name, safe="")
    return f"{kind}; filename=\"{_ascii_name(name, fallback)}\"; filename*=UTF-8''{quoted}"


def _ascii_name(name: str, fallback: str) -> str:
    """Letters, digits and a few marks only: no quote, backslash, semicolon or leading dot can reach the header."""
    suffix = Path(name).suffix
    if not re.fullmatch(r"\.[A-Za-z0-9]{1,8}", suffix):
        suffix = ""
    stem = unicodedata.normalize("NFKD", name[:len(name) - len(suffix)]).encode("ascii", "ignore").decode("ascii")
    stem = re.sub(r"[^A-Za-z0-9._()+-]+", "_", stem).strip("._-")
    return (stem[:80] if re.search(r"[A-Za-z0-9]", stem) else fallback) + suffix


def delete_image(upload_dir: str | Path, stored: StoredImage) -> None:
    """Remove the image and its thumbnails; already gone (or not a name of ours) is not an error."""
    for name in {stored.name, *stored.thumbnails.values()}:
        try:
            stored_path(upload_dir, name).unlink(missing_ok=True)
        except FileNotFoundError:
            continue
