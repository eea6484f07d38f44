"""Comparing designs without a database: which two to show, the spec diff, notes in between, the matrix's best cells."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_skeleton
from flask_babel import get_locale, lazy_gettext as _l, to_user_timezone

from civic.designs import specs
from civic.designs.models import DesignFile, DesignOption, DesignVersion

MODES = ("side", "slider", "overlay")
BEST_MARKERS = {specs.LOWER: _l("Lowest"), specs.HIGHER: _l("Most")}


def short_date(moment: datetime) -> str:
    """"11月20日" / "Nov 20" in the reader's time zone: enough to tell versions apart in a caption."""
    return format_skeleton("MMMd", to_user_timezone(moment), locale=get_locale() or "zh_Hans_CN")


def pictures(version: DesignVersion) -> list[DesignFile]:
    """The files of a version that can be shown as a picture (images, PDFs with a preview)."""
    return [f for f in version.files if f.picture_name]


def picture_index(version: DesignVersion, index: int | None) -> int:
    """A picture index from the query string, kept inside the version's pictures (a stale link still works)."""
    count = len(pictures(version))
    return index if index is not None and 0 <= index < count else 0


def default_pair(options: list[DesignOption], versions_by_option: dict[int, list[DesignVersion]]
                 ) -> tuple[DesignVersion, DesignVersion] | None:
    """The first two published options' current versions; else one option's last two versions; else any two."""
    current = [versions_by_option[o.id][-1] for o in options if o.is_published and versions_by_option.get(o.id)]
    if len(current) >= 2:
        return current[0], current[1]
    # One option only (or one published beside private drafts): compare how it evolved, published first.
    ordered = sorted(options, key=lambda o: not o.is_published)
    history = next((versions_by_option[o.id] for o in ordered if len(versions_by_option.get(o.id, [])) >= 2), None)
    if history:
        return history[-2], history[-1]
    # A designer may see private drafts: two of those (or one beside a published option) still compare.
    visible = [versions_by_option[o.id][-1] for o in ordered if versions_by_option.get(o.id)]
    return (visible[0], visible[1]) if len(visible) >= 2 else None


def other_side(given: DesignVersion, options: list[DesignOption],
               versions_by_option: dict[int, list[DesignVersion]]) -> DesignVersion | None:
    """Only one side was chosen: its previous version, else another option's current version."""
    own = versions_by_option.get(given.option_id, [])
    earlier = [v for v in own if v.number < given.number]
    if earlier:
        return earlier[-1]
    later = [v for v in own if v.number > given.number]
    others = [versions_by_option[o.id][-1] for o in options if o.id != given.option_id and versions_by_option.get(o.id)]
    return (later[:1] or others[:1] or [None])[0]


@dataclass(frozen=True)
class DiffRow:
    field: specs.SpecField
    a_text: str
    b_text: str
    is_changed: bool


def spec_diff(a: DesignVersion, b: DesignVersion) -> list[DiffRow]:
    """One row per spec field, marked where the two versions differ."""
    changed = specs.changed_keys(a, b)
    return [DiffRow(f, specs.shown(a, f.key), specs.shown(b, f.key), f.key in changed) for f in specs.FIELDS]


def notes_between(history: list[DesignVersion], a: DesignVersion, b: DesignVersion) -> list[DesignVersion]:
    """Two versions of one option: the versions after the older up to the newer, whose notes tell what changed."""
    if a.option_id != b.option_id:
        return []
    low, high = sorted((a.number, b.number))
    return [v for v in history if low < v.number <= high]


@dataclass(frozen=True)
class MatrixCell:
    version: DesignVersion
    text: str
    is_best: bool


@dataclass(frozen=True)
class MatrixRow:
    field: specs.SpecField
    cells: list[MatrixCell]
    marker: object  # the text beside a best value ("Lowest", "Most"), or "" for a row without a best

    @property
    def has_best(self) -> bool:
        return any(c.is_best for c in self.cells)


def matrix_rows(versions: list[DesignVersion]) -> list[MatrixRow]:
    """Rows of the comparison matrix: each spec field across the versions, with the best cells marked."""
    rows = []
    for field in specs.FIELDS:
        best = specs.best_ids(versions, field.key) if field.better else set()
        cells = [MatrixCell(v, specs.shown(v, field.key), v.id in best) for v in versions]
        rows.append(MatrixRow(field, cells, BEST_MARKERS.get(field.better, "")))
    return rows
