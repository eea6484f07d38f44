"""Design options on phones (issue 6, "How we will check"), in Chromium at 390×844.

A designer uploads v1 (two files, the progress bar filling on a slow line) and v2 and publishes; a resident
compares v1 and v2 side by side, with the slider and as an overlay; pins a comment on v2 by tapping the
picture; the designer's v3 addresses it; the matrix marks the best values and prints to PDF; hostile files
are refused through the real form with the change note kept; a photo's GPS never comes back; another
community gets 404. Every page: no JavaScript error and no sideways scrolling at 390 px.

The pages' new words are not translated yet: locators use ids, names, classes and data attributes from the
DOM contract of the issue, never button text.
"""
from __future__ import annotations

import io
import os
import re
import subprocess
from decimal import Decimal

import pytest
from PIL import ExifTags, Image, ImageDraw, ImageFont
from playwright.sync_api import expect

from civic.clock import utcnow
from civic.community.rules import standing_of
from civic.designs import services
from civic.designs.models import AddressedComment, CommentVersion, DesignOption, DesignVersion, Pin
from civic.extensions import db
from civic.threads import owners
from civic.threads import services as thread_services
from tests.browser.conftest import PHONE_VIEWPORT, another_phone, relevant_errors, screenshot, sign_in
# The designs fixtures (by import): the world with a designer and a project in 设计, the upload folder, one hash.
from tests.designs.conftest import SPEC, dworld, upload  # noqa: F401
from tests.proposals.conftest import _hash_once, upload_dir  # noqa: F401

pytestmark = pytest.mark.browser

SLOW_UPLOAD = {"offline": False, "latency": 40, "downloadThroughput": -1, "uploadThroughput": 200 * 1024}
FAST = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}
CJK = re.compile(r"[\u4e00-\u9fff]")
TAP = (0.30, 0.40)  # where the resident taps v2's picture, as fractions of its width and height
PIN_SLACK_PX = 6
NOTE_V2 = "把桶位从4个加到6个，门改到东侧，方便推车进出。"
SPEC_V1 = SPEC | {"cost_yuan": Decimal("150000"), "capacity": 4}
SPEC_A = SPEC | {"cost_yuan": Decimal("90000"), "area_m2": Decimal("18.5"), "capacity": 6, "build_days": 30,
                 "yearly_fee_yuan": Decimal("12")}
SPEC_B = SPEC | {"cost_yuan": Decimal("120000"), "area_m2": Decimal("20"), "capacity": 8, "build_days": 25,
                 "yearly_fee_yuan": Decimal("15")}


@pytest.fixture
def live_server_config(request, upload_dir):  # noqa: F811
    """The live server stores and serves files in the same folder as the test's app (a test may add settings
    with indirect parametrisation)."""
    return {"UPLOAD_DIR": str(upload_dir), **getattr(request, "param", {})}


# --- Files made with Pillow ---------------------------------------------------------------------------------

ROOM_COLOURS = ((40, 90, 160), (200, 80, 40), (30, 140, 70), (140, 60, 160))


def _plan(text: str, n: int = 1, size=(800, 600)) -> bytes:
    """A floor plan that differs visibly per version: the room moves right and changes colour; a big label."""
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, size[0] - 20, size[1] - 20], outline=(60, 60, 60), width=6)
    left = 60 + (n - 1) * 150 % 450
    draw.rectangle([left, 180, left + 260, 520], fill=ROOM_COLOURS[(n - 1) % 4], outline=(0, 0, 0), width=4)
    draw.text((50, 50), text, fill=(0, 0, 0), font=ImageFont.load_default(size=72))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _noisy_jpeg(size=(1200, 900)) -> bytes:
    """A site photo that hardly compresses (~1 MB), so a slow upload lasts long enough to watch its progress."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def _gps_jpeg() -> bytes:
    """A phone photo that says where it was taken (EXIF GPS, camera make)."""
    image = Image.new("RGB", (640, 480), (90, 140, 90))
    ImageDraw.Draw(image).rectangle([100, 100, 540, 380], outline=(20, 20, 20), width=6)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (31.0, 15.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (121.0, 29.0, 10.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo), "the test photo lost its GPS"
    return data


def _tiff() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (10, 120, 200)).save(buffer, "TIFF")
    return buffer.getvalue()


def _file(name: str, data: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": data}


# --- The world, made through the services -------------------------------------------------------------------

def _option(world, *specs: dict, title: str = "东侧绿地，封闭式厢房", published: bool = True) -> DesignOption:
    """An option with one version per spec sheet, each a visibly different 800×600 plan."""
    now = utcnow()
    option = services.create_option(world.project, actor=world.designer, title=title, summary="", now=now)
    for n, spec in enumerate(specs, start=1):
        services.add_version(option, world.project, actor=world.designer,
                             uploads=[upload(_plan(f"{option.label} v{n}", n))],
                             change_note=f"第{n}版" if n == 1 else NOTE_V2, spec=spec, now=now)
    if published:
        services.publish(option, world.project, actor=world.designer, now=now)
    db.session.commit()
    return option


def _versions(option_id: int) -> list[DesignVersion]:
    """The option's versions as the live server left them."""
    db.session.rollback()
    db.session.expire_all()
    return list(db.session.execute(db.select(DesignVersion).where(DesignVersion.option_id == option_id)
                                   .order_by(DesignVersion.number)).scalars())


def _pin_on(world, option: DesignOption, version: DesignVersion, body: str) -> int:
    """A resident's pin on a version (its comment in the option's thread); returns the comment id."""
    thread = option.thread
    comment = thread_services.post_comment(thread, owners.owner_of(thread), author=world.resident,
                                           standing=standing_of(world.resident, world.community), body=body,
                                           opinion=None, now=utcnow())
    db.session.add(CommentVersion(comment_id=comment.id, version_id=version.id))
    db.session.add(Pin(version_id=version.id, file_id=version.files[0].id, number=1, x=Decimal(str(TAP[0])),
                       y=Decimal(str(TAP[1])), comment_id=comment.id, created_by_id=world.resident.id))
    db.session.commit()
    return comment.id


def _stored_files(directory) -> set[str]:
    return {p.name for p in directory.iterdir()} if directory.exists() else set()


# --- URLs and page steps --------------------------------------------------------------------------------------

def _c(base: str, world) -> str:
    return f"{base}/c/{world.community.slug}"


def _option_url(base: str, world, option_id: int) -> str:
    return f"{_c(base, world)}/designs/{option_id}"


def _option_page(base: str, world, option_id: int) -> re.Pattern:
    return re.compile(rf"{re.escape(_option_url(base, world, option_id))}(?:[?#].*)?$")


def _compare_url(base: str, world, a: int, b: int, mode: str | None = None) -> str:
    tail = f"&mode={mode}" if mode else ""
    return f"{_c(base, world)}/projects/{world.project.id}/designs/compare?a={a}&b={b}{tail}"


def _fits_phone(page) -> None:
    """No sideways scrolling of the page itself (a wide table scrolls inside its own container)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_VIEWPORT["width"] + 1, f"{page.url} is {width}px wide on a 390px phone"


def _broken_rows(page, table: str) -> list[str]:
    """Rows of the table not laid out as table rows (a CSS rule meant for a form made one a grid); checked last."""
    return page.locator(f"{table} tr").evaluate_all(
        "rows => rows.filter(r => getComputedStyle(r).display !== 'table-row').map(r => r.className)")


def _fill_version_form(page, files: list, note: str) -> None:
    form = page.locator("form#version-form")
    form.locator("input[type=file][name=files]").set_input_files(files)
    form.locator("textarea[name=change_note]").fill(note)


def _submit_version(page):
    page.locator("form#version-form [type=submit]").first.click()


def _upload_version(page, base: str, world, option_id: int, files: list, note: str) -> None:
    page.goto(f"{_option_url(base, world, option_id)}/versions/new")
    _fill_version_form(page, files, note)
    _submit_version(page)
    page.wait_for_url(_option_page(base, world, option_id))


def _stage_state(page) -> dict:
    """What the slider and the overlay change: --pos, clipping (clip-path, or the width of a clipping box), opacity."""
    return page.locator(".compare-stage").evaluate("""stage => {
      const els = [stage, ...stage.querySelectorAll('*')];
      const pos = [], clips = [], opacity = [];
      for (const el of els) {
        const cs = getComputedStyle(el);
        pos.push(cs.getPropertyValue('--pos').trim());
        const box = el.getBoundingClientRect();
        clips.push(`${cs.clipPath}|${cs.clip}|${cs.overflow === 'hidden' ? Math.round(box.width) : ''}`);
        opacity.push(cs.opacity);
      }
      return {pos, clips, opacity};
    }""")


def _drag_range(page, selector: str, to_fraction: float) -> None:
    """Drag a range's thumb (or, if the range is hidden, the stage) with the finger/mouse to a fraction of its width."""
    handle = page.locator(selector)
    target = handle if handle.count() and handle.is_visible() else page.locator(".compare-stage")
    target.scroll_into_view_if_needed()
    box = target.bounding_box()
    if target is not handle:
        start = 0.5
    else:
        low, high = float(handle.get_attribute("min") or 0), float(handle.get_attribute("max") or 100)
        start = (float(handle.input_value()) - low) / (high - low)
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * start, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * to_fraction, y, steps=8)
    page.mouse.up()


# --- 1. The designer uploads v1 and v2 with the progress bar showing -------------------------------------------

def _create_option(page, base: str, world) -> DesignOption:
    page.goto(f"{_c(base, world)}/projects/{world.project.id}/designs/new")
    form = page.locator("form#option-form")
    form.locator("[name=title]").fill("东侧绿地，封闭式厢房")
    form.locator("[name=summary]").fill("把垃圾厢房移到7号楼东侧绿地，**封闭式**，带洗手池。")
    screenshot(page, "design-option-new")
    _fits_phone(page)
    with page.expect_navigation():
        form.locator("[type=submit]").first.click()
    db.session.rollback()
    option = db.session.execute(db.select(DesignOption).where(
        DesignOption.project_id == world.project.id)).scalar_one()
    assert option.title == "东侧绿地，封闭式厢房" and not option.is_published
    return option


def _upload_v1_on_a_slow_line(page, base: str, world, option_id: int) -> None:
    """A drawing and a ~1 MB site photo at ~200 KB/s: the bar shows and fills before the page moves on."""
    page.goto(f"{_option_url(base, world, option_id)}/versions/new")
    file_input = page.locator("form#version-form input[type=file][name=files]")
    assert file_input.get_attribute("multiple") is not None
    assert file_input.get_attribute("accept") == "image/jpeg,image/png,image/webp,application/pdf"
    for key, value in (("cost_yuan", "150000"), ("area_m2", "18.5"), ("capacity", "4"), ("capacity_unit", "个桶位"),
                       ("build_days", "30"), ("yearly_fee_yuan", "12")):
        page.locator(f"form#version-form [name={key}]").fill(value)
    photo = _noisy_jpeg()
    assert len(photo) > 900_000, len(photo)
    _fill_version_form(page, [_file("平面图.png", _plan("A v1"), "image/png"),
                              _file("现场照片.jpg", photo, "image/jpeg")], "第一版：厢房放在东侧绿地。")
    screenshot(page, "design-version-new-filled")
    _fits_phone(page)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_UPLOAD)
    progress = page.locator("progress#upload-progress")
    expect(progress).to_be_hidden()
    _submit_version(page)
    expect(progress).to_be_visible(timeout=5_000)
    page.wait_for_function("() => { const p = document.querySelector('progress#upload-progress');"
                           " return p && p.value > 0; }", timeout=8_000)
    assert page.url.endswith("/versions/new"), "the page moved on before the progress could be seen"
    screenshot(page, "design-version-uploading")
    page.wait_for_url(_option_page(base, world, option_id), timeout=30_000)
    cdp.send("Network.emulateNetworkConditions", FAST)


def _upload_v2(page, base: str, world, option_id: int) -> None:
    """One new drawing and a change note; the spec sheet comes prefilled from v1 and two values change."""
    page.goto(f"{_option_url(base, world, option_id)}/versions/new")
    expect(page.locator("form#version-form [name=cost_yuan]")).to_have_value(re.compile(r"^150000(\.0+)?$"))
    expect(page.locator("form#version-form [name=capacity_unit]")).to_have_value("个桶位")
    page.locator("form#version-form [name=capacity]").fill("6")
    page.locator("form#version-form [name=cost_yuan]").fill("120000")
    _fill_version_form(page, [_file("平面图v2.png", _plan("A v2", 2), "image/png")], NOTE_V2)
    _submit_version(page)
    page.wait_for_url(_option_page(base, world, option_id))


def _publish(page) -> None:
    publish = page.locator("form#publish-form [type=submit]").first
    if not publish.is_visible():  # a confirmation folded away in a <details>
        page.locator("details:has(form#publish-form) > summary").click()
    with page.expect_response(lambda r: r.request.method == "POST"):
        publish.click()
    page.wait_for_load_state()
    expect(page.locator("form#publish-form")).to_have_count(0)


def test_a_designer_uploads_two_versions_with_a_progress_bar_and_publishes(live_server, page, browser_errors, dworld):
    world = dworld
    sign_in(page, live_server, world.designer.username)
    option = _create_option(page, live_server, world)
    _upload_v1_on_a_slow_line(page, live_server, world, option.id)
    (v1,) = _versions(option.id)
    assert len(v1.files) == 2 and v1.cost_yuan == Decimal("150000") and v1.capacity == 4
    _upload_v2(page, live_server, world, option.id)
    v1, v2 = _versions(option.id)
    assert len(v2.files) == 1 and v2.capacity == 6 and v2.cost_yuan == Decimal("120000")

    # The revision timeline: v1 and v2, each with a thumbnail and its note; links to compare.
    expect(page.locator("#versions li.version")).to_have_count(2)
    for n in (1, 2):
        expect(page.locator(f"#versions li.version[data-version='{n}'] img").first).to_be_visible()
    expect(page.locator("#versions li.version[data-version='2']")).to_contain_text(NOTE_V2)
    expect(page.locator("a.compare-link").first).to_be_visible()
    _publish(page)
    db.session.rollback()
    assert db.session.get(DesignOption, option.id).is_published
    screenshot(page, "design-option-designer")
    _fits_phone(page)
    assert relevant_errors(browser_errors) == []
    # The same page must not go on saying "not published yet; residents can comment once it is" below.
    expect(page.locator(".thread-banner")).to_have_count(0)


# --- 2. A resident compares v1 and v2: side by side, slider, overlay --------------------------------------------

def test_a_resident_compares_two_versions_with_the_slider_and_the_overlay(
        live_server, page, browser_errors, dworld):
    world = dworld
    option = _option(world, SPEC_V1, SPEC | {"capacity": 6})
    v1, v2 = _versions(option.id)
    (other_v1,) = _versions(_option(world, SPEC_B, title="北侧车棚旁，半开放").id)
    sign_in(page, live_server, world.resident.username)
    page.goto(_compare_url(live_server, world, v1.id, v2.id))
    stage = page.locator("#compare .compare-stage")
    expect(stage).to_have_attribute("data-mode", "side")
    expect(page.locator("#compare form#compare-pick")).to_be_visible()
    # The spec sheets as a diff: cost and capacity changed between v1 and v2, the area did not.
    expect(page.locator("table.spec-diff tr.is-changed")).to_have_count(2)
    expect(page.locator("table.spec-diff tr.is-changed").first).to_contain_text("¥150,000")
    broken_rows = _broken_rows(page, "table.spec-diff")
    screenshot(page, "design-compare-side")
    _fits_phone(page)

    page.locator("#compare a[data-mode='slider']").click()
    expect(stage).to_have_attribute("data-mode", "slider")
    expect(page.locator("input[type=range].compare-range")).to_be_attached()
    before = _stage_state(page)
    value_before = page.locator("input[type=range].compare-range").input_value()
    _drag_range(page, "input[type=range].compare-range", 0.2)
    after = _stage_state(page)
    assert page.locator("input[type=range].compare-range").input_value() != value_before, "the divider did not move"
    assert after["pos"] != before["pos"], f"--pos did not change: {before['pos'][:3]} → {after['pos'][:3]}"
    assert after["clips"] != before["clips"], "the top picture's clipping did not follow the divider"
    screenshot(page, "design-compare-slider")
    _fits_phone(page)

    page.locator("#compare a[data-mode='overlay']").click()
    expect(stage).to_have_attribute("data-mode", "overlay")
    expect(page.locator("input[type=range].compare-opacity")).to_be_attached()
    before = _stage_state(page)
    _drag_range(page, "input[type=range].compare-opacity", 0.15)
    after = _stage_state(page)
    assert after["opacity"] != before["opacity"], "moving the opacity range changed no picture's opacity"
    screenshot(page, "design-compare-overlay")
    _fits_phone(page)

    # The mode links are real links: without JavaScript's help the URL alone gives the same mode.
    page.goto(_compare_url(live_server, world, v1.id, v2.id, mode="overlay"))
    expect(page.locator(".compare-stage")).to_have_attribute("data-mode", "overlay")

    # Two options instead of two versions: pick 方案B on the right.
    page.locator("form#compare-pick select[name=b]").select_option(str(other_v1.id))
    page.locator("form#compare-pick [type=submit]").first.click()
    expect(page.locator("table.spec-diff thead")).to_contain_text("方案B")
    expect(page.locator(".compare-stage img")).to_have_count(2)
    screenshot(page, "design-compare-two-options")
    _fits_phone(page)
    assert relevant_errors(browser_errors) == []
    assert broken_rows == [], f"rows of the spec diff not laid out as table rows: {broken_rows}"


# --- 3. A resident pins a comment on v2 by tapping the picture ----------------------------------------------------

def test_a_resident_pins_a_comment_where_they_tapped(live_server, page, browser_errors, dworld):
    world = dworld
    option = _option(world, SPEC_V1, SPEC)
    v1, v2 = _versions(option.id)
    sign_in(page, live_server, world.resident.username)
    page.goto(f"{_option_url(live_server, world, option.id)}/v2")
    picture = page.locator("#pin-stage img").first
    expect(picture).to_be_visible()
    picture.scroll_into_view_if_needed()
    box = picture.bounding_box()
    tap_x, tap_y = box["x"] + box["width"] * TAP[0], box["y"] + box["height"] * TAP[1]
    page.mouse.click(tap_x, tap_y)
    form = page.locator("form#pin-form")
    assert abs(float(form.locator("[name=x]").input_value()) - TAP[0] * 100) < 1.5
    assert abs(float(form.locator("[name=y]").input_value()) - TAP[1] * 100) < 1.5
    body = "门口这里太窄，轮椅过不去。"
    form.locator("textarea[name=body]").fill(body)
    screenshot(page, "design-pin-typing")
    form.locator("[type=submit]").first.click()
    pin = page.locator("#pin-stage .pin[data-pin='1']")
    expect(pin).to_be_visible()
    expect(page.locator("ol#pins > li[data-pin='1']")).to_contain_text(body)
    _assert_pin_at(page, pin, picture)
    screenshot(page, "design-pin-placed")
    _fits_phone(page)

    db.session.rollback()
    (row,) = db.session.execute(db.select(Pin).where(Pin.version_id == v2.id)).scalars()
    assert abs(float(row.x) - TAP[0]) < 0.015 and abs(float(row.y) - TAP[1]) < 0.015
    page.reload()  # stored as fractions: the pin comes back at the same spot
    _assert_pin_at(page, page.locator("#pin-stage .pin[data-pin='1']"), page.locator("#pin-stage img").first)
    assert relevant_errors(browser_errors) == []


def _assert_pin_at(page, pin, picture) -> None:
    """The pin's box covers (within a few px) the point at TAP on the picture as it is laid out now."""
    box, pic = pin.bounding_box(), picture.bounding_box()
    x, y = pic["x"] + pic["width"] * TAP[0], pic["y"] + pic["height"] * TAP[1]
    inside = (box["x"] - PIN_SLACK_PX <= x <= box["x"] + box["width"] + PIN_SLACK_PX
              and box["y"] - PIN_SLACK_PX <= y <= box["y"] + box["height"] + PIN_SLACK_PX)
    assert inside, f"pin box {box} is not where the picture was tapped ({x:.0f}, {y:.0f})"


# --- 4. The designer's v3 addresses the pin -----------------------------------------------------------------------

def test_the_designer_uploads_v3_addressing_a_pin_and_the_resident_sees_it(
        live_server, page, browser, browser_errors, dworld):
    world = dworld
    option = _option(world, SPEC_V1, SPEC)
    v1, v2 = _versions(option.id)
    comment_id = _pin_on(world, option, v2, "门口这里太窄，轮椅过不去。")
    with another_phone(browser, browser_errors) as resident:
        sign_in(resident, live_server, world.resident.username)
        resident.goto(_option_url(live_server, world, option.id))  # she has now seen v1 and v2

        sign_in(page, live_server, world.designer.username)
        page.goto(f"{_option_url(live_server, world, option.id)}/versions/new")
        page.locator(f"form#version-form input[name=addresses][value='{comment_id}']").check()
        _fill_version_form(page, [_file("平面图v3.png", _plan("A v3", 3), "image/png")], "门加宽到1.2米，轮椅可以进出。")
        screenshot(page, "design-version-new-addressing")
        _submit_version(page)
        page.wait_for_url(_option_page(live_server, world, option.id))
        versions = _versions(option.id)
        assert [v.number for v in versions] == [1, 2, 3]
        mark = db.session.get(AddressedComment, comment_id)
        assert mark is not None and mark.version_id == versions[2].id

        resident.goto(f"{_option_url(live_server, world, option.id)}/v2")
        addressed = resident.locator(".pin-addressed").first
        expect(addressed).to_be_visible()
        expect(addressed).to_contain_text("v3")
        screenshot(resident, "design-pin-addressed")
        _fits_phone(resident)
        resident.goto(_option_url(live_server, world, option.id))
        expect(resident.locator("#versions li.version[data-version='3']")).to_have_class(re.compile(r"\bis-new\b"))
        expect(resident.locator("#versions li.version[data-version='2']")).not_to_have_class(
            re.compile(r"\bis-new\b"))
        screenshot(resident, "design-option-resident-new-v3")
        _fits_phone(resident)
        # In the option's discussion the pinned comment says it was answered by v3, too.
        expect(resident.locator(f"#comment-{comment_id}")).to_contain_text("v3")
    assert relevant_errors(browser_errors) == []


# --- 5. The matrix of two options, on screen and on paper -----------------------------------------------------------

def test_the_matrix_marks_the_best_values_and_prints(live_server, page, browser_errors, dworld, tmp_path):
    world = dworld
    _option(world, SPEC_V1, SPEC_A)  # 方案A: its current version (v2) counts, not v1's ¥150,000
    _option(world, SPEC_B, title="北侧车棚旁，半开放")
    _option(world, SPEC_B | {"cost_yuan": Decimal("1")}, title="草稿，不公开", published=False)
    sign_in(page, live_server, world.resident.username)
    page.goto(f"{_c(live_server, world)}/projects/{world.project.id}/designs/matrix")
    matrix = page.locator("table.matrix")
    expect(matrix).to_contain_text("方案A")
    expect(matrix).to_contain_text("方案B")
    expect(matrix).not_to_contain_text("方案C")  # private: not in the residents' matrix
    expect(matrix).not_to_contain_text("¥150,000")
    expect(matrix.locator("img")).to_have_count(2)  # one thumbnail per published option
    best = matrix.locator("td.is-best")
    expect(best.filter(has_text="¥90,000")).to_have_count(1)  # lowest cost: A
    expect(best.filter(has_text="8 个桶位")).to_have_count(1)  # most capacity: B
    expect(best.filter(has_text="25")).to_have_count(1)  # shortest build: B
    expect(best.filter(has_text="¥120,000")).to_have_count(0)
    expect(best.filter(has_text="6 个桶位")).to_have_count(0)
    marked = best.filter(has_text="¥90,000").first.text_content().strip()
    assert marked != "¥90,000", "the best value is marked by colour alone (no text marker)"
    broken_rows = _broken_rows(page, "table.matrix")
    screenshot(page, "design-matrix")
    _fits_phone(page)

    pdf_path = tmp_path / "matrix.pdf"
    pdf_path.write_bytes(page.pdf(format="A4", landscape=True))
    info = subprocess.run(["pdfinfo", str(pdf_path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert pages >= 1, info
    assert relevant_errors(browser_errors) == []
    assert broken_rows == [], f"rows of the matrix not laid out as table rows: {broken_rows}"


# --- 6. Hostile files through the real form; GPS; another community -------------------------------------------------

HOSTILE = [
    ("页面.png", b"<!doctype html><html><body><script>alert(1)</script></body></html>", "image/png"),
    ("plan.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
     "image/svg+xml"),
    ("empty.png", b"", "image/png"),
    ("scan.tif", None, "image/tiff"),  # made with Pillow below
]


def test_hostile_files_are_refused_in_the_form_and_the_note_is_kept(
        live_server, page, browser, browser_errors, dworld, upload_dir):  # noqa: F811
    world = dworld
    option = _option(world, SPEC)
    sign_in(page, live_server, world.designer.username)
    page.goto(f"{_option_url(live_server, world, option.id)}/versions/new")
    stored = _stored_files(upload_dir)
    note = "门改到东侧，桶位加到6个。"
    not_chinese = []  # checked last: the other checks say more when the catalogue is merely not merged yet
    for name, data, mime in HOSTILE:
        _fill_version_form(page, [_file(name, _tiff() if data is None else data, mime)], note)
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            _submit_version(page)
        assert posted.value.status == 422, f"{name}: answered {posted.value.status}"
        errors = page.locator("#version-form-errors")
        expect(errors).to_be_visible()
        expect(errors).to_contain_text(name)
        message = errors.inner_text()
        if not CJK.search(message.replace(name, "")):
            not_chinese.append(f"{name}: {message!r}")
        expect(page.locator("form#version-form textarea[name=change_note]")).to_have_value(note)
        screenshot(page, f"design-hostile-{name.rsplit('.', 1)[1]}-{len(data or '')}")
        _fits_phone(page)
        assert [v.number for v in _versions(option.id)] == [1], f"{name} made a version"
        assert _stored_files(upload_dir) == stored, f"{name} left files behind"

    # A resident who is not a designer gets no upload form at all (her refused page's console is not checked).
    with another_phone(browser, []) as resident:
        sign_in(resident, live_server, world.resident.username)
        response = resident.goto(f"{_option_url(live_server, world, option.id)}/versions/new")
        assert response.status in (403, 404), response.status
    # Chromium logs every 4xx answer as "Failed to load resource"; the refused form's 422 is the contract.
    assert [e for e in relevant_errors(browser_errors) if "status of 422" not in e] == []
    assert not not_chinese, "messages shown in English on the Chinese site:\n" + "\n".join(not_chinese)


def test_a_photo_comes_back_without_gps_and_another_community_gets_404(
        live_server, page, browser, browser_errors, dworld):
    world = dworld
    option = _option(world, SPEC)
    sign_in(page, live_server, world.designer.username)
    _upload_version(page, live_server, world, option.id, [_file("现场.jpg", _gps_jpeg(), "image/jpeg")],
                    "加了一张现场照片。")
    v1, v2 = _versions(option.id)
    (photo,) = v2.files
    page.goto(f"{_option_url(live_server, world, option.id)}/v2")
    shown = page.locator("#pin-stage img").first.get_attribute("src")
    urls = {f"{_c(live_server, world)}/designs/files/{name}"
            for name in (photo.name, photo.picture_name, photo.phone_name, photo.desktop_name) if name}
    urls.add(shown if shown.startswith("http") else live_server + shown)
    for url in urls:
        response = page.request.get(url)
        assert response.status == 200, f"{url}: {response.status}"
        image = Image.open(io.BytesIO(response.body()))
        assert not image.getexif(), f"{url} still has EXIF: {dict(image.getexif())}"
        assert "exif" not in image.info, url

    with another_phone(browser, []) as outsider:  # refused pages may log their 404s to the console
        sign_in(outsider, live_server, world.outsider.username)
        for url in urls:
            assert outsider.request.get(url).status == 404, url
        assert outsider.goto(_option_url(live_server, world, option.id)).status == 404
    assert relevant_errors(browser_errors) == []


@pytest.mark.parametrize("live_server_config", [{"UPLOAD_MAX_FILE_BYTES": 600_000}], indirect=True)
def test_a_photo_over_the_size_cap_is_stopped_with_a_readable_message(
        live_server, page, browser_errors, dworld, upload_dir):  # noqa: F811
    """Not a browser error page: the form says which file is too big, and keeps the note."""
    world = dworld
    option = _option(world, SPEC)
    sign_in(page, live_server, world.designer.username)
    page.goto(f"{_option_url(live_server, world, option.id)}/versions/new")
    stored = _stored_files(upload_dir)
    note = "换了一张现场照片。"
    _fill_version_form(page, [_file("大照片.jpg", _noisy_jpeg(), "image/jpeg")], note)
    _submit_version(page)
    errors = page.locator("#version-form-errors")
    expect(errors).to_contain_text("大照片.jpg")
    expect(page.locator("form#version-form textarea[name=change_note]")).to_have_value(note)
    assert page.url.endswith("/versions/new"), page.url
    screenshot(page, "design-version-too-big")
    assert [v.number for v in _versions(option.id)] == [1]
    assert _stored_files(upload_dir) == stored
    assert [e for e in relevant_errors(browser_errors) if "status of 4" not in e] == []
