"""The demo's paper ballot photos: a signed 纸质表决票 drawn with Pillow (Chinese when a CJK font is installed)."""
from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

from civic.demo_votes_content import SLIP_NOTE, SLIP_SIGN, SLIP_TITLE
from civic.designs.drawings import font, say

SIZE = (900, 620)
INK, SOFT, PAPER = (30, 34, 40), (110, 116, 124), (250, 247, 238)


def _tick(draw: ImageDraw.ImageDraw, x: int, y: int) -> None:
    draw.line([(x + 6, y + 18), (x + 15, y + 28), (x + 32, y + 4)], fill=(20, 40, 140), width=5)


def _signature(draw: ImageDraw.ImageDraw, x: int, y: int, rng: random.Random) -> None:
    """A pen scribble: a few joined strokes, different for each household."""
    points = [(x + i * 18, y + rng.randint(-14, 14)) for i in range(9)]
    draw.line(points, fill=(20, 40, 140), width=3, joint="curve")


def slip_png(title: str, place: str, choices: list[str], marked: int | None, date: str, seed: int) -> bytes:
    """A photographed slip: vote title, building and room, the choices with one ticked (None: 弃权), a signature."""
    rng = random.Random(seed)
    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([14, 14, SIZE[0] - 14, SIZE[1] - 14], outline=SOFT, width=2)
    draw.text((40, 36), say(SLIP_TITLE, "Paper ballot"), font=font(34), fill=INK)
    draw.text((40, 86), title, font=font(22), fill=INK)
    draw.text((40, 124), place, font=font(24), fill=INK)
    y = 180
    for index, label in enumerate([*choices, say("弃权", "Abstain")]):
        draw.rectangle([60, y, 96, y + 32], outline=INK, width=3)
        if index == (len(choices) if marked is None else marked):
            _tick(draw, 60, y)
        draw.text((116, y + 2), label, font=font(24), fill=INK)
        y += 56
    draw.text((40, y + 24), say(SLIP_SIGN, "Owner's signature") + "：", font=font(22), fill=INK)
    _signature(draw, 190, y + 40, rng)
    draw.text((560, y + 24), date, font=font(22), fill=INK)
    draw.text((40, SIZE[1] - 58), say(SLIP_NOTE, "Collected and entered by the building-group leader."),
              font=font(16), fill=SOFT)
    out = io.BytesIO()
    image.rotate(rng.uniform(-1.5, 1.5), fillcolor=(200, 200, 196)).save(out, "PNG")
    return out.getvalue()
