"""Demo drawings made with Pillow: the canvas, fonts and the garbage-room floor plan (PNG, 1200×900).

Labels are Chinese when a CJK font is installed (Debian's fonts-noto-cjk); on a machine without one they fall
back to English with Pillow's own font, so the demo still works everywhere. Each drawing also returns anchors:
where its features are, as fractions of the picture, so demo pins point at the right thing.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (1200, 900)
INK, WALL, SOFT, ACCENT, GREEN, RED = (30, 30, 30), (40, 60, 110), (150, 160, 175), (200, 110, 20), (60, 140, 70), \
    (190, 50, 50)
CJK_FONTS = [  # (path, face index of Simplified Chinese inside a .ttc)
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
]
BIN_KINDS = [("干", "Dry"), ("湿", "Wet"), ("湿", "Wet"), ("干", "Dry"), ("可回收", "Rec"), ("有害", "Haz"),
             ("湿", "Wet"), ("干", "Dry")]


@lru_cache(maxsize=1)
def cjk_font_path() -> tuple[str, int] | None:
    return next(((p, i) for p, i in CJK_FONTS if Path(p).is_file()), None)


@lru_cache(maxsize=16)
def font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    found = cjk_font_path()
    if found:
        return ImageFont.truetype(found[0], size, index=found[1])
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow < 10.1 has one bitmap size only
        return ImageFont.load_default()


def say(zh: str, en: str) -> str:
    """The Chinese label when it can be drawn, else the English one."""
    return zh if cjk_font_path() else en


@dataclass
class Drawing:
    png: bytes
    anchors: dict[str, tuple[float, float]] = field(default_factory=dict)


class Canvas:
    """A white sheet with the drawing helpers both plans use; records anchors as fractions."""

    def __init__(self, title: str, subtitle: str):
        self.image = Image.new("RGB", SIZE, "white")
        self.draw = ImageDraw.Draw(self.image)
        self.anchors: dict[str, tuple[float, float]] = {}
        self.draw.rectangle([0, 0, SIZE[0], 78], fill=(238, 242, 248))
        self.text((28, 14), title, 30)
        self.text((28, 52), subtitle, 18, SOFT)
        self._north()

    def text(self, at, words: str, size: int = 20, fill=INK, anchor: str = "la") -> None:  # noqa: ANN001
        self.draw.text(at, words, font=font(size), fill=fill, anchor=anchor)

    def box(self, rect, label: str, outline=INK, fill=None, size: int = 18, width: int = 2) -> None:  # noqa: ANN001
        self.draw.rectangle(rect, outline=outline, fill=fill, width=width)
        self.text(((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2), label, size, outline, anchor="mm")

    def dashed(self, a, b, fill=SOFT, dash: int = 12, width: int = 2) -> None:  # noqa: ANN001
        (x1, y1), (x2, y2) = a, b
        length = max(abs(x2 - x1), abs(y2 - y1)) or 1
        for start in range(0, int(length), dash * 2):
            t1, t2 = start / length, min(start + dash, length) / length
            self.draw.line([(x1 + (x2 - x1) * t1, y1 + (y2 - y1) * t1), (x1 + (x2 - x1) * t2, y1 + (y2 - y1) * t2)],
                           fill=fill, width=width)

    def dashed_rect(self, rect, fill=SOFT) -> None:  # noqa: ANN001
        x1, y1, x2, y2 = rect
        for a, b in (((x1, y1), (x2, y1)), ((x2, y1), (x2, y2)), ((x2, y2), (x1, y2)), ((x1, y2), (x1, y1))):
            self.dashed(a, b, fill)

    def dimension(self, a, b, words: str, offset: int = 28) -> None:  # noqa: ANN001
        """A dimension line with ticks, `offset` px away from the measured edge (down or right)."""
        (x1, y1), (x2, y2) = a, b
        horizontal = y1 == y2
        dx, dy = (0, offset) if horizontal else (offset, 0)
        p, q = (x1 + dx, y1 + dy), (x2 + dx, y2 + dy)
        self.draw.line([p, q], fill=ACCENT, width=2)
        for x, y in (p, q):
            tick = [(x, y - 8), (x, y + 8)] if horizontal else [(x - 8, y), (x + 8, y)]
            self.draw.line(tick, fill=ACCENT, width=2)
        middle = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
        self.text((middle[0], middle[1] + (14 if horizontal else 0)) if horizontal else (middle[0] + 12, middle[1]),
                  words, 18, ACCENT, anchor="mt" if horizontal else "lm")

    def tree(self, centre, radius: int, kept: bool) -> None:  # noqa: ANN001
        x, y = centre
        rect = [x - radius, y - radius, x + radius, y + radius]
        if kept:
            self.draw.ellipse(rect, outline=GREEN, fill=(214, 236, 214), width=3)
            self.text((x + radius + 6, y), say("香樟（保留）", "Tree (kept)"), 17, GREEN, anchor="lm")
        else:
            self.draw.ellipse(rect, outline=RED, width=2)
            self.draw.line([(x - radius * 0.7, y - radius * 0.7), (x + radius * 0.7, y + radius * 0.7)], fill=RED, width=2)
            self.draw.line([(x - radius * 0.7, y + radius * 0.7), (x + radius * 0.7, y - radius * 0.7)], fill=RED, width=2)
            self.text((x + radius + 6, y), say("香樟（需移栽）", "Tree (to be moved)"), 17, RED, anchor="lm")

    def anchor(self, key: str, x: float, y: float) -> None:
        self.anchors[key] = (round(x / SIZE[0], 4), round(y / SIZE[1], 4))

    def _north(self) -> None:
        x, y = SIZE[0] - 60, 130
        self.draw.polygon([(x, y - 34), (x - 12, y), (x + 12, y)], fill=INK)
        self.text((x, y + 6), say("北", "N"), 20, anchor="mt")

    def footer(self, words: str) -> None:
        self.draw.line([(28, SIZE[1] - 56), (SIZE[0] - 28, SIZE[1] - 56)], fill=SOFT, width=1)
        self.text((28, SIZE[1] - 44), words, 18, SOFT)

    def png(self) -> Drawing:
        buffer = io.BytesIO()
        self.image.save(buffer, "PNG", optimize=False, compress_level=6)
        return Drawing(buffer.getvalue(), dict(self.anchors))


@dataclass(frozen=True)
class RoomPlan:
    """One version of a garbage room: what changes between versions is what the change note says."""

    heading: str
    subtitle: str
    width_m: float = 6.0
    depth_m: float = 3.5
    door: str = "south"  # "north" faces the windows of 7号楼
    bins: int = 6
    smart: bool = False  # smart bins, opened with a card at the reader
    sink: bool = False
    deodoriser: bool = False  # with an exhaust fan on the east wall
    canopy_m: float = 1.0
    tree: bool | None = None  # None: no tree near; False: it must be moved; True: kept
    enclosed: bool = True  # False: half-open, the south side has no wall
    windows: bool = True  # the neighbour to the north is a block of flats (else the road by the north gate)


SCALE = 75  # px per metre
ROOM_X, ROOM_Y = 300, 380


def room_plan(plan: RoomPlan) -> Drawing:
    canvas = Canvas(plan.heading, plan.subtitle)
    w, d = plan.width_m * SCALE, plan.depth_m * SCALE
    x0, y0, x1, y1 = ROOM_X, ROOM_Y, ROOM_X + w, ROOM_Y + d
    _neighbour(canvas, plan.windows)
    door_y = y0 if plan.door == "north" and plan.enclosed else y1
    _canopy(canvas, plan, (x0, y0, x1, y1), door_y)
    _walls(canvas, plan, (x0, y0, x1, y1), door_y)
    _bins(canvas, plan, (x0, y0, x1, y1), back_y=y1 if door_y == y0 else y0)
    _fittings(canvas, plan, (x0, y0, x1, y1), door_y)
    if plan.tree is not None:
        canvas.tree((ROOM_X + 5.75 * SCALE, y0 + d * 0.22), 40, plan.tree)
        canvas.anchor("tree", ROOM_X + 5.75 * SCALE, y0 + d * 0.22)
    if door_y == y0 and plan.enclosed:  # the width goes on the side without the canopy
        canvas.dimension((x0, y1), (x1, y1), f"{plan.width_m:.1f} m", offset=30)
    else:
        canvas.dimension((x0, y0), (x1, y0), f"{plan.width_m:.1f} m", offset=-34)
    canvas.dimension((x0, y0), (x0, y1), f"{plan.depth_m:.1f} m", offset=-90)
    canvas.anchor("room", (x0 + x1) / 2, (y0 + y1) / 2)
    canvas.footer(say(f"{plan.heading} · 平面示意，比例约 1:80，单位 m", f"{plan.heading} · plan sketch, metres"))
    return canvas.png()


def _neighbour(canvas: Canvas, windows: bool) -> None:
    if not windows:
        canvas.box([120, 110, 1080, 190], say("小区道路 · 北门", "Estate road · north gate"), SOFT, (246, 246, 246))
        return
    canvas.box([120, 110, 1080, 200], say("7号楼（南面有住户窗户）", "Building 7 (windows on the south side)"),
               WALL, (232, 236, 244))
    for x in range(150, 1060, 70):
        canvas.draw.rectangle([x, 188, x + 36, 200], fill=(170, 200, 230), outline=WALL)


def _canopy(canvas: Canvas, plan: RoomPlan, room, door_y: float) -> None:  # noqa: ANN001
    x0, y0, x1, y1 = room
    reach = plan.canopy_m * SCALE
    top, bottom = (door_y - reach, door_y) if door_y == y0 else (door_y, door_y + reach)
    canvas.draw.rectangle([x0 - 22, top, x1 + 22, bottom], fill=(255, 246, 226))
    canvas.dashed_rect([x0 - 22, top, x1 + 22, bottom], ACCENT)
    canvas.text((x1 - 10, (top + bottom) / 2), say(f"雨棚 挑出 {plan.canopy_m:.1f} m", f"Canopy {plan.canopy_m:.1f} m"),
                18, ACCENT, anchor="rm")
    canvas.dimension((x1 + 22, top), (x1 + 22, bottom), f"{plan.canopy_m:.1f} m", offset=16)
    canvas.anchor("canopy", x1 - 80, (top + bottom) / 2)


def _walls(canvas: Canvas, plan: RoomPlan, room, door_y: float) -> None:  # noqa: ANN001
    x0, y0, x1, y1 = room
    draw, thick = canvas.draw, 9
    draw.line([(x0, y0), (x0, y1)], fill=WALL, width=thick)
    draw.line([(x1, y0), (x1, y1)], fill=WALL, width=thick)
    if not plan.enclosed:  # half-open: a back wall only, the south side stays open under the canopy
        draw.line([(x0, y0), (x1, y0)], fill=WALL, width=thick)
        canvas.text((x0 + 12, y1 + 14), say("开放面（投放口）", "Open side"), 18, WALL, anchor="la")
        canvas.anchor("door", x0 + 80, y1 + 10)
        return
    other_y = y1 if door_y == y0 else y0
    draw.line([(x0, other_y), (x1, other_y)], fill=WALL, width=thick)
    gap = (x0 + 1.0 * SCALE, x0 + 2.2 * SCALE)
    draw.line([(x0, door_y), (gap[0], door_y)], fill=WALL, width=thick)
    draw.line([(gap[1], door_y), (x1, door_y)], fill=WALL, width=thick)
    swing = gap[1] - gap[0]
    box = [gap[0] - swing, door_y - swing, gap[0] + swing, door_y + swing]
    inward = (270, 360) if door_y == y1 else (0, 90)
    draw.arc(box, *inward, fill=INK, width=2)
    canvas.text(((gap[0] + gap[1]) / 2, door_y + (-14 if door_y == y1 else 14)), say("门", "Door"), 20,
                anchor="mb" if door_y == y1 else "mt")
    canvas.anchor("door", (gap[0] + gap[1]) / 2, door_y)


def _bins(canvas: Canvas, plan: RoomPlan, room, back_y: float) -> None:  # noqa: ANN001
    x0, y0, x1, y1 = room
    left, right = x0 + 14, x1 - (60 if plan.deodoriser else 14)
    gap = 6
    size = min(58, (right - left - gap * (plan.bins - 1)) / plan.bins)
    top = back_y + 12 if back_y == y0 else back_y - 12 - 62
    for i in range(plan.bins):
        zh, en = BIN_KINDS[i % len(BIN_KINDS)]
        x = left + i * (size + gap)
        fill = (222, 232, 250) if plan.smart else (240, 240, 240)
        canvas.box([x, top, x + size, top + 62], say(zh, en), INK, fill, size=15)
        if plan.smart:
            canvas.draw.rectangle([x + size / 2 - 6, top + 4, x + size / 2 + 6, top + 12], fill=WALL)
    label = say(f"{'智能' if plan.smart else ''}分类桶 ×{plan.bins}", f"{'Smart ' if plan.smart else ''}bins ×{plan.bins}")
    label_y = top + 62 + 8 if back_y == y0 else top - 8
    canvas.text((left, label_y), label, 18, anchor="la" if back_y == y0 else "ld")
    canvas.anchor("bins", left + plan.bins * (size + gap) / 2, top + 31)


def _fittings(canvas: Canvas, plan: RoomPlan, room, door_y: float) -> None:  # noqa: ANN001
    x0, y0, x1, y1 = room
    near = door_y - 80 if door_y == y1 else door_y + 20
    if plan.sink:
        canvas.box([x0 + 2.6 * SCALE, near, x0 + 3.5 * SCALE, near + 60], say("洗手池", "Sink"), WALL, (220, 240, 250))
        canvas.draw.ellipse([x0 + 3.05 * SCALE - 8, near + 40, x0 + 3.05 * SCALE + 8, near + 56], outline=WALL)
        canvas.anchor("sink", x0 + 3.05 * SCALE, near + 30)
    if plan.deodoriser:
        middle = y0 + (y1 - y0) * 0.56
        canvas.box([x1 - 52, middle - 32, x1 - 8, middle + 32], say("除臭", "Deo"), GREEN, (226, 244, 228), size=16)
        fan = (x1, y0 + (y1 - y0) * 0.8)
        canvas.draw.ellipse([fan[0] - 16, fan[1] - 16, fan[0] + 16, fan[1] + 16], outline=GREEN, fill="white", width=3)
        canvas.draw.line([(fan[0] - 11, fan[1] - 11), (fan[0] + 11, fan[1] + 11)], fill=GREEN, width=2)
        canvas.draw.line([(fan[0] - 11, fan[1] + 11), (fan[0] + 11, fan[1] - 11)], fill=GREEN, width=2)
        canvas.text((fan[0] + 24, fan[1]), say("排风扇（朝东，背离住户）", "Exhaust fan (east)"), 17, GREEN, anchor="lm")
        canvas.anchor("deodoriser", x1 - 30, middle)
        canvas.anchor("fan", fan[0], fan[1])
    if plan.smart and plan.enclosed:
        reader_x = x0 + 2.3 * SCALE
        outside = door_y + 10 if door_y == y1 else door_y - 40
        canvas.box([reader_x, outside, reader_x + 64, outside + 30], say("刷卡机", "Card"), WALL, (230, 236, 250),
                   size=15)
        canvas.anchor("reader", reader_x + 32, outside + 15)
