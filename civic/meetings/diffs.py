"""A simple line-based diff between two versions of the minutes, for the history page."""
from __future__ import annotations

import difflib
from dataclasses import dataclass

CONTEXT_LINES = 1


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add" | "del" | "same" | "gap" (lines left out between changes)
    text: str  # the Markdown source line, escaped by the template like any text


def lines(older: str, newer: str) -> list[DiffLine]:
    """What changed from `older` to `newer`, with one line of context around each change."""
    rows: list[DiffLine] = []
    diff = list(difflib.unified_diff((older or "").splitlines(), (newer or "").splitlines(), lineterm="",
                                     n=CONTEXT_LINES))
    for line in diff[2:]:  # the two header lines ("--- ", "+++ "); a removed "-- x" line must not look like one
        if line.startswith("@@"):
            if rows:  # between two changes: the lines left out
                rows.append(DiffLine("gap", "…"))
        elif line.startswith("+"):
            rows.append(DiffLine("add", line[1:]))
        elif line.startswith("-"):
            rows.append(DiffLine("del", line[1:]))
        else:
            rows.append(DiffLine("same", line[1:]))
    return rows
