"""Demo drawing of an e-bike shed between 1号楼 and 3号楼: rows of charging bays, extinguishers, cameras (PNG)."""
from __future__ import annotations

from dataclasses import dataclass

from civic.designs.drawings import GREEN, INK, RED, SIZE, SOFT, WALL, Canvas, Drawing, say


@dataclass(frozen=True)
class ShedPlan:
    """An e-bike shed between 1号楼 and 3号楼: rows of charging bays."""

    heading: str
    subtitle: str
    points: int
    width_m: float
    depth_m: float
    cameras: bool = False
    sprinklers: bool = False


def shed_plan(plan: ShedPlan) -> Drawing:
    canvas = Canvas(plan.heading, plan.subtitle)
    for i, x in enumerate((110, 470, 830)):
        canvas.box([x, 110, x + 260, 200], say(f"{i + 1}号楼", f"Bldg {i + 1}"), WALL, (232, 236, 244))
    scale = min(940 / plan.width_m, 460 / plan.depth_m)
    w, d = plan.width_m * scale, plan.depth_m * scale
    x0, y0 = (SIZE[0] - w) / 2, 270
    canvas.draw.rectangle([x0, y0, x0 + w, y0 + d], outline=WALL, width=6, fill=(248, 250, 252))
    _bays(canvas, plan, (x0, y0, x0 + w, y0 + d))
    canvas.dimension((x0, y0 + d), (x0 + w, y0 + d), f"{plan.width_m:.0f} m", offset=26)
    canvas.dimension((x0 + w, y0), (x0 + w, y0 + d), f"{plan.depth_m:.0f} m", offset=18)
    for i, x in enumerate((x0 + 12, x0 + w - 40)):
        canvas.box([x, y0 + d - 40, x + 28, y0 + d - 12], "", RED, (250, 220, 220))
        canvas.anchor(f"extinguisher{i}", x + 14, y0 + d - 26)
    canvas.text((x0, y0 + d + 62), say("■ 灭火器", "■ extinguisher"), 17, RED)
    if plan.cameras:
        for x in (x0 + 4, x0 + w - 4):
            canvas.draw.polygon([(x, y0 + 4), (x - 14, y0 + 26), (x + 14, y0 + 26)], fill=INK)
        canvas.text((x0 + 110, y0 + d + 62), say("▲ 监控探头", "▲ CCTV"), 17)
        canvas.anchor("cameras", x0 + 4, y0 + 16)
    canvas.text((SIZE[0] / 2, y0 - 12), say(f"电瓶车停车棚 · 充电位 ×{plan.points}" + (" · 自动喷淋" if plan.sprinklers else ""),
                                              f"E-bike shed · {plan.points} charging points"), 22, anchor="md")
    canvas.footer(say(f"{plan.heading} · 总平面示意，单位 m", f"{plan.heading} · site sketch, metres"))
    return canvas.png()


def _bays(canvas: Canvas, plan: ShedPlan, shed) -> None:  # noqa: ANN001
    x0, y0, x1, y1 = shed
    rows = 4 if plan.points > 60 else 3
    per_row = -(-plan.points // rows)
    aisle = (y1 - y0) * 0.16
    bay_h = ((y1 - y0) - aisle * (rows // 2) - 20) / rows
    bay_w = (x1 - x0 - 24) / per_row
    y = y0 + 10
    for row in range(rows):
        for i in range(min(per_row, plan.points - row * per_row)):
            x = x0 + 12 + i * bay_w
            canvas.draw.rectangle([x, y, x + bay_w - 2, y + bay_h], outline=SOFT)
            post_y = y + 4 if row % 2 == 0 else y + bay_h - 8
            canvas.draw.rectangle([x + bay_w / 2 - 3, post_y, x + bay_w / 2 + 2, post_y + 4], fill=GREEN)
        y += bay_h + (aisle if row % 2 == 1 else 0)
    canvas.anchor("bays", (x0 + x1) / 2, y0 + 10 + bay_h / 2)
    middle = (x0 + x1) / 2
    canvas.draw.line([(middle - 50, y1), (middle + 50, y1)], fill="white", width=8)
    canvas.text((middle, y1 - 8), say("入口", "Entrance"), 18, anchor="md")
    canvas.anchor("entrance", middle, y1)
