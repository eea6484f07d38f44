"""Import the household roster from a CSV file: validate every row, then write all or nothing."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from civic.audit.models import record
from civic.community import invites
from civic.community.models import Building, Community, Household
from civic.extensions import db

MAX_AREA = Decimal("10000")
HEADER_ALIASES = {
    "building": "building", "楼栋": "building", "楼号": "building", "楼": "building",
    "room": "room", "室号": "room", "房号": "room", "室": "room", "门牌": "room",
    "area_m2": "area_m2", "area": "area_m2", "面积": "area_m2", "建筑面积": "area_m2", "面积m2": "area_m2",
    "grid": "grid", "网格": "grid", "微网格": "grid",
}
REQUIRED = ("building", "room", "area_m2")


@dataclass(frozen=True)
class RosterRow:
    line: int
    building: str
    room: str
    area_m2: Decimal
    grid: str | None


@dataclass
class RosterError(Exception):
    """Every problem found, each with its spreadsheet row number (the header is row 1)."""

    problems: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ImportResult:
    buildings_added: int = 0
    households_added: int = 0
    areas_updated: int = 0
    grids_updated: int = 0
    unchanged: int = 0

    @property
    def has_changes(self) -> bool:
        return bool(self.buildings_added or self.households_added or self.areas_updated or self.grids_updated)


def decode(data: bytes) -> str:
    """UTF-8 with or without BOM, else GB18030 (a superset of the GBK that Excel on Chinese Windows writes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise RosterError([(0, _("The file is neither UTF-8 nor GBK text. Save it from Excel as “CSV (逗号分隔)” and try again."))]) from error


def _columns(header: list[str]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        key = HEADER_ALIASES.get(name.strip().lower().replace("²", "2").replace("(", "").replace(")", ""))
        if key and key not in columns:
            columns[key] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise RosterError([(1, _("The first row must name the columns building, room, area_m2 (and optionally grid); "
                                 "missing: %(names)s.", names=", ".join(missing)))])
    return columns


def _cell(values: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return values[index].strip() if index is not None and index < len(values) else ""


def _parse_area(text: str) -> Decimal | None:
    try:
        area = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return area if area.is_finite() else None


def _check_row(line: int, values: list[str], columns: dict[str, int]) -> tuple[RosterRow | None, list[str]]:
    building, room = _cell(values, columns, "building"), _cell(values, columns, "room")
    area_text, grid = _cell(values, columns, "area_m2"), _cell(values, columns, "grid")
    problems = []
    if not building:
        problems.append(_("the building is empty"))
    elif len(building) > 40:
        problems.append(_("the building name is longer than 40 characters"))
    if not room:
        problems.append(_("the room is empty"))
    elif len(room) > 20:
        problems.append(_("the room is longer than 20 characters"))
    if len(grid) > 40:
        problems.append(_("the grid label is longer than 40 characters"))
    area = _parse_area(area_text)
    if area is None:
        problems.append(_("the area “%(text)s” is not a number", text=area_text))
    elif area <= 0:
        problems.append(_("the area must be greater than 0 (got %(text)s)", text=area_text))
    elif area > MAX_AREA or area != area.quantize(Decimal("0.01")):
        problems.append(_("the area must be at most 10000 m² with at most 2 decimals (got %(text)s)", text=area_text))
    if problems:
        return None, problems
    return RosterRow(line, building, room, area, grid or None), []


def parse(data: bytes) -> list[RosterRow]:
    """All rows, or RosterError listing every problem by row number."""
    reader = csv.reader(io.StringIO(decode(data), newline=""))
    rows = list(reader)
    if not rows:
        raise RosterError([(0, _("The file is empty."))])
    columns = _columns(rows[0])
    result, errors, seen = [], [], {}
    for line, values in enumerate(rows[1:], start=2):
        if not any(v.strip() for v in values):
            continue
        row, problems = _check_row(line, values, columns)
        errors += [(line, p) for p in problems]
        if row is None:
            continue
        key = (row.building, row.room)
        if key in seen:
            errors.append((line, _("%(building)s %(room)s already appears in row %(first)d",
                                   building=row.building, room=row.room, first=seen[key])))
        seen.setdefault(key, line)
        result.append(row)
    if errors:
        raise RosterError(errors)
    if not result:
        raise RosterError([(0, _("The file has a header but no households."))])
    return result


def import_rows(community: Community, rows: list[RosterRow], actor, now: datetime) -> ImportResult:  # noqa: ANN001
    """Add new buildings and households, update areas and grids; never touch members or remove anyone."""
    buildings = {b.name: b for b in db.session.execute(
        db.select(Building).where(Building.community_id == community.id)).scalars()}
    households = {(h.building.name, h.room): h for h in db.session.execute(
        db.select(Household).join(Building).where(Building.community_id == community.id)
        .options(contains_eager(Household.building))).scalars()}
    result, added = ImportResult(), []
    for row in rows:
        building = buildings.get(row.building)
        if building is None:
            building = Building(community=community, name=row.building, grid=row.grid)
            db.session.add(building)
            buildings[row.building] = building
            result.buildings_added += 1
        elif row.grid and building.grid != row.grid:
            building.grid = row.grid
            result.grids_updated += 1
        household = households.get((row.building, row.room))
        if household is None:
            household = Household(building=building, room=row.room, area_m2=row.area_m2)
            db.session.add(household)
            households[(row.building, row.room)] = household
            added.append(household)
        elif household.area_m2 != row.area_m2:
            household.area_m2 = row.area_m2
            result.areas_updated += 1
        else:
            result.unchanged += 1
    result.households_added = len(added)
    invites.issue_codes(added, now)
    record(community.id, actor, "roster.import", community.name, now, **vars(result))
    return result
