"""The spec sheet: its fields, which way is better, the best value per row and what changed between two versions."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable

from flask_babel import lazy_gettext as _l

from civic.designs.models import DesignVersion

LOWER, HIGHER = "lower", "higher"


@dataclass(frozen=True)
class SpecField:
    key: str  # the DesignVersion column
    label: object  # lazy translated text
    unit: object  # lazy translated unit ("" for none; capacity's unit comes from the version)
    better: str | None  # LOWER, HIGHER or None (no "best")


FIELDS: tuple[SpecField, ...] = (
    SpecField("cost_yuan", _l("Estimated cost"), _l("yuan"), LOWER),
    SpecField("area_m2", _l("Area used"), "m²", LOWER),
    SpecField("capacity", _l("Capacity"), "", HIGHER),
    SpecField("build_days", _l("Build time"), _l("days"), LOWER),
    SpecField("yearly_fee_yuan", _l("Yearly fee per household"), _l("yuan"), LOWER),
    SpecField("spec_notes", _l("Notes"), "", None),
)
NUMERIC_KEYS = tuple(f.key for f in FIELDS if f.better is not None)


def value(version: DesignVersion | None, key: str):  # noqa: ANN201
    """A field's value; capacity includes its unit only for display (see `shown`)."""
    return getattr(version, key) if version is not None else None


def shown(version: DesignVersion | None, key: str) -> str:
    """The value as a resident reads it, with its unit: "80 充电位", "¥12,000", "18.5 m²", "—" when not given."""
    raw = value(version, key)
    if raw is None or raw == "":
        return "—"
    if key == "capacity":
        return f"{raw} {version.capacity_unit}".strip()
    text = f"{raw:,.2f}".rstrip("0").rstrip(".") if isinstance(raw, Decimal) else str(raw)
    if key.endswith("_yuan"):
        return f"¥{text}"
    unit = str(next(f.unit for f in FIELDS if f.key == key))
    return f"{text} {unit}" if unit else text


def best_ids(versions: Iterable[DesignVersion], key: str) -> set[int]:
    """Ids of the versions holding the best value of a numeric field (ties all marked; none when < 2 values).

    Capacity is only compared between versions counting the same unit: 80 充电位 and 6 个桶位 are not rivals.
    """
    field = next(f for f in FIELDS if f.key == key)
    given = [v for v in versions if value(v, key) is not None]
    if field.better is None or len(given) < 2:
        return set()
    if key == "capacity" and len({v.capacity_unit for v in given}) > 1:
        return set()
    pick = min if field.better == LOWER else max
    best = pick(value(v, key) for v in given)
    if all(value(v, key) == best for v in given):
        return set()  # everyone equal: nothing stands out
    return {v.id for v in given if value(v, key) == best}


def changed_keys(old: DesignVersion, new: DesignVersion) -> set[str]:
    """Fields whose value differs between two versions (capacity's unit counts as part of capacity)."""
    keys = {f.key for f in FIELDS if value(old, f.key) != value(new, f.key)}
    if old.capacity_unit != new.capacity_unit:
        keys.add("capacity")
    return keys


def copy_spec(source: DesignVersion | None) -> dict:
    """The spec columns of a version, to prefill the next version's form."""
    if source is None:
        return {}
    return {f.key: value(source, f.key) for f in FIELDS} | {"capacity_unit": source.capacity_unit}
