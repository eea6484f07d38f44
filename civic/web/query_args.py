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
