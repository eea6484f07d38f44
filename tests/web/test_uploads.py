"""The upload module: type by content, metadata stripped, bombs and broken files refused, safe names only."""
from __future__ import annotations

import io
import secrets
import struct
import zlib

import pytest
from PIL import ExifTags, Image, PngImagePlugin
from werkzeug.datastructures import FileStorage

from civic.web import uploads
from civic.web.uploads import UploadRejected, delete_image, store_image, stored_path

pytestmark = pytest.mark.usefixtures("app")  # app context: gettext and UPLOAD_MAX_FILE_BYTES


def encode(img: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, fmt, **options)
    return buffer.getvalue()


def gradient(size: tuple[int, int]) -> Image.Image:
    """A picture with detail, so JPEG bytes are realistic and truncation really cuts image data."""
    return Image.linear_gradient("L").resize(size).convert("RGB")


def upload(data: bytes, filename: str = "photo.jpg", content_type: str = "image/jpeg") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=filename, content_type=content_type)


def png_header_only(width: int, height: int) -> bytes:
    """A 1-bit PNG that declares width x height but carries almost no data: what a bomb looks like to open()."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def files_in(directory) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def open_stored(directory, name: str) -> Image.Image:
    img = Image.open(stored_path(directory, name))
    img.load()
    return img


def test_jpeg_exif_gps_xmp_icc_and_comment_are_gone_and_orientation_applied(tmp_path):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # rotate 90° clockwise to display
    exif[ExifTags.Base.Make] = "SecretCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 15.0, 42.0)
    gps[ExifTags.GPS.GPSAreaInformation] = "HomeAddress"
    data = encode(gradient((40, 20)), "JPEG", exif=exif, comment=b"my flat 1201",
                  xmp=b"<x:xmpmeta>secret-xmp</x:xmpmeta>", icc_profile=b"fake-icc-profile" * 8)
    given = Image.open(io.BytesIO(data))
    assert given.getexif().get_ifd(ExifTags.IFD.GPSInfo) and {"comment", "icc_profile", "xmp"} <= set(given.info)

    stored = store_image(upload(data), upload_dir=tmp_path)

    raw = stored_path(tmp_path, stored.name).read_bytes()
    for secret in (b"Exif", b"SecretCam", b"HomeAddress", b"my flat", b"secret-xmp", b"fake-icc"):
        assert secret not in raw
    img = open_stored(tmp_path, stored.name)
    assert not img.getexif()
    assert not {"exif", "icc_profile", "comment", "xmp"} & set(img.info)
    assert img.format == "JPEG" and img.mode == "RGB"
    assert img.size == (20, 40) == (stored.width, stored.height)
    assert stored.content_type == "image/jpeg"


def test_png_with_alpha_and_text_is_flattened_onto_white_without_metadata(tmp_path):
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPS 31.25N 121.48E")
    data = encode(Image.new("RGBA", (600, 300), (0, 0, 0, 0)), "PNG", pnginfo=info)

    stored = store_image(upload(data, "draft.png", "image/png"), upload_dir=tmp_path)

    raw = stored_path(tmp_path, stored.name).read_bytes()
    assert b"GPS 31.25N" not in raw
    img = open_stored(tmp_path, stored.name)
    assert img.format == "JPEG" and img.size == (600, 300)
    assert min(img.getpixel((10, 10))) > 245  # transparent became white, not black
    phone = open_stored(tmp_path, stored.thumbnails["phone"])
    assert phone.size == (480, 240)
    assert stored.thumbnails["desktop"] == stored.name  # 600 px: a 1024 "thumbnail" would be an upscale


def test_webp_is_accepted_and_reencoded_with_thumbnails_and_a_capped_full_size(tmp_path):
    data = encode(gradient((3000, 1500)), "WEBP", quality=60)

    stored = store_image(upload(data, "wall.webp", "image/webp"), upload_dir=tmp_path)

    assert (stored.width, stored.height) == (2560, 1280)
    assert open_stored(tmp_path, stored.name).size == (2560, 1280)
    assert open_stored(tmp_path, stored.thumbnails["phone"]).size == (480, 240)
    assert open_stored(tmp_path, stored.thumbnails["desktop"]).size == (1024, 512)
    assert stored.name.endswith(".jpg") and stored.thumbnails["phone"].endswith("_480.jpg")
    assert files_in(tmp_path) == sorted([stored.name, stored.thumbnails["phone"], stored.thumbnails["desktop"]])
    assert stored.original_filename == "wall.webp"


def test_a_small_image_is_never_upscaled(tmp_path):
    stored = store_image(upload(encode(gradient((300, 200)), "PNG"), "tiny.png"), upload_dir=tmp_path / "new")

    assert (stored.width, stored.height) == (300, 200)
    assert stored.thumbnails == {"phone": stored.name, "desktop": stored.name}
    assert open_stored(tmp_path / "new", stored.name).size == (300, 200)
    assert files_in(tmp_path / "new") == [stored.name]


def test_the_16_bit_greyscale_png_keeps_its_tones(tmp_path):
    data = encode(Image.new("I;16", (8, 8), 32768), "PNG")

    stored = store_image(upload(data, "scan.png"), upload_dir=tmp_path)

    assert 120 < open_stored(tmp_path, stored.name).getpixel((4, 4))[0] < 136  # mid grey, not clipped to white


def _jpeg_bytes() -> bytes:
    return encode(gradient((200, 200)), "JPEG", quality=95)


@pytest.mark.parametrize("data", [
    pytest.param(b"just some text, honestly a photo", id="text-named-jpg"),
    pytest.param(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", id="pdf"),
    pytest.param(encode(Image.new("P", (10, 10)), "GIF"), id="gif"),
    pytest.param(b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', id="svg"),
    pytest.param(encode(Image.new("RGB", (10, 10)), "BMP"), id="bmp"),
])
def test_anything_but_jpeg_png_webp_is_refused_whatever_its_name(tmp_path, data):
    with pytest.raises(UploadRejected) as refused:
        store_image(upload(data, "photo.jpg", "image/jpeg"), upload_dir=tmp_path)

    assert "photo.jpg" in refused.value.message and refused.value.filename == "photo.jpg"
    assert files_in(tmp_path) == []


def test_a_truncated_jpeg_is_refused_not_a_500(tmp_path):
    whole = _jpeg_bytes()

    with pytest.raises(UploadRejected) as refused:
        store_image(upload(whole[: len(whole) // 2], "half.jpg"), upload_dir=tmp_path)

    assert "half.jpg" in refused.value.message
    assert isinstance(refused.value.__context__, OSError)  # the header was fine; decoding (load) hit the end
    assert files_in(tmp_path) == []


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(UploadRejected) as refused:
        store_image(upload(b"", "nothing.jpg"), upload_dir=tmp_path)

    assert "nothing.jpg" in refused.value.message
    assert files_in(tmp_path) == []


def test_a_file_over_the_configured_cap_is_refused_without_reading_it_all(app, tmp_path):
    app.config["UPLOAD_MAX_FILE_BYTES"] = 1000
    stream = io.BytesIO(_jpeg_bytes() + b"\0" * 5000)

    with pytest.raises(UploadRejected) as refused:
        store_image(FileStorage(stream=stream, filename="big.jpg"), upload_dir=tmp_path)

    assert "big.jpg" in refused.value.message
    assert stream.tell() == 1001  # cap + 1, never the whole body
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("width, height, caught", [
    pytest.param(9000, 8000, type(None), id="over-our-64M-limit"),
    pytest.param(10000, 10000, Image.DecompressionBombWarning, id="pillow-warning-band"),
    pytest.param(20000, 20000, Image.DecompressionBombError, id="pillow-error-band"),
])
def test_decompression_bombs_are_refused_before_decoding(tmp_path, width, height, caught):
    with pytest.raises(UploadRejected) as refused:
        store_image(upload(png_header_only(width, height), "bomb.png"), upload_dir=tmp_path)

    assert "bomb.png" in refused.value.message
    assert type(refused.value.__context__) is caught  # each band is stopped by the guard meant for it
    assert files_in(tmp_path) == []


def test_the_pixel_limit_is_the_module_constant(tmp_path, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_PIXELS", 100)

    with pytest.raises(UploadRejected):
        store_image(upload(encode(gradient((20, 20)), "PNG"), "pixels.png"), upload_dir=tmp_path)

    assert files_in(tmp_path) == []


def test_a_hostile_client_filename_never_reaches_the_disk(tmp_path):
    stored = store_image(upload(_jpeg_bytes(), "../../etc/passwd\x00.jpg"), upload_dir=tmp_path / "up")

    assert stored.original_filename == "passwd.jpg"
    names = files_in(tmp_path / "up")
    assert names == [stored.name]
    assert not any("passwd" in name for name in names)
    assert files_in(tmp_path) == ["up"]  # nothing escaped upward


@pytest.mark.parametrize("raw, shown", [
    ("C:\\Users\\li\\Pictures\\IMG_0001.JPG", "IMG_0001.JPG"),
    ("evil\u202egpj.exe", "evilgpj.exe"),  # right-to-left override removed
    ("a\r\nb.jpg", "ab.jpg"),
    ("楼道照片.jpg", "楼道照片.jpg"),
    ("x" * 300 + ".jpg", "x" * 120),
    (None, ""),
])
def test_clean_filename(raw, shown):
    assert uploads.clean_filename(raw) == shown


def test_a_failure_part_way_leaves_no_partial_files_and_overwrites_nothing(tmp_path, monkeypatch):
    token = "A" * 22
    monkeypatch.setattr(secrets, "token_urlsafe", lambda n: token)
    (tmp_path / f"{token}_1024.jpg").write_bytes(b"someone else's file")

    with pytest.raises(FileExistsError):
        store_image(upload(encode(gradient((1200, 900)), "JPEG")), upload_dir=tmp_path)

    assert files_in(tmp_path) == [f"{token}_1024.jpg"]
    assert (tmp_path / f"{token}_1024.jpg").read_bytes() == b"someone else's file"


def test_stored_path_accepts_only_names_this_module_made(tmp_path):
    stored = store_image(upload(encode(gradient((1200, 900)), "JPEG")), upload_dir=tmp_path)
    (tmp_path / "a.jpg").write_bytes(b"x")

    assert stored_path(tmp_path, stored.name) == tmp_path / stored.name
    assert stored_path(str(tmp_path), stored.thumbnails["phone"]).is_file()
    token = stored.name[:-4]
    for bad in ["../x.jpg", "a.jpg", f"../{stored.name}", f"sub/{stored.name}", f"sub\\{stored.name}",
                f"{stored.name}\n", f"{token}.jpeg", f"{token}_99.jpg", f"{token}.jpg.html", "", "B" * 22 + ".jpg"]:
        with pytest.raises(FileNotFoundError):
            stored_path(tmp_path, bad)
    assert uploads.CONTENT_TYPES[".jpg"] == stored.content_type


def test_delete_image_removes_the_image_and_its_thumbnails(tmp_path):
    keep = store_image(upload(_jpeg_bytes(), "keep.jpg"), upload_dir=tmp_path)
    gone = store_image(upload(encode(gradient((1200, 900)), "JPEG")), upload_dir=tmp_path)

    delete_image(tmp_path, gone)
    delete_image(tmp_path, gone)  # twice is fine

    assert files_in(tmp_path) == sorted({keep.name, *keep.thumbnails.values()})


def test_a_48_megapixel_phone_photo_is_accepted_and_scaled(app, tmp_path):
    """Phones shoot 48–50 MP; JPEG draft mode decodes them at a fraction of the memory."""
    from PIL import Image
    from werkzeug.datastructures import FileStorage

    from civic.web.uploads import store_image

    buffer = io.BytesIO()
    Image.new("RGB", (8000, 6000), (120, 160, 90)).save(buffer, "JPEG", quality=70)
    buffer.seek(0)
    with app.test_request_context():
        stored = store_image(FileStorage(buffer, "IMG_0001.JPG"), upload_dir=tmp_path)
    assert (stored.width, stored.height) == (2560, 1920)
