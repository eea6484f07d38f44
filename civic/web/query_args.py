"""Reading list filters from the query string without ever failing on a stale or hand-edited link."""
from __future__ import annotations

import enum

from flask import request


def enum_arg(enum_cls: type[enum.Enum], name: str):  # noqa: ANN201
    """An enum from the query string, or None for a missing or unknown value (a stale link still works)."""
    try:
        return enum_cls(request.args.get(name, ""))
    except ValueError:
        return None


def page_arg(source=None, *, last: int | None = None) -> int:  # noqa: ANN001
    """The page number from the query string (or a form), at least 1 and at most `last` when given."""
    page = max((source if source is not None else request.args).get("page", 1, type=int), 1)
    return min(page, last) if last else page


def choice_arg(name: str, allowed, default: str) -> str:  # noqa: ANN001
    """A value from a fixed set (a sort key, say), or the default for anything else."""
    value = request.args.get(name, default)
    return value if value in allowed else default
