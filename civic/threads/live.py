"""Live updates: what a reader's page already shows, and where each new or changed comment goes on it.

A page remembers (in its poller's hidden inputs) the thread version it shows, the highest comment id it
knows, and the "gap" of top-level comments not loaded yet ("load more" still to come). A changed comment
is then replaced where it stands, a new one inserted in its place, and one whose place is not on the page
is left out — so every out-of-band swap finds its target.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

from civic.threads.models import Comment

ORDERS = ("oldest", "newest")


def order_from(value: str | None) -> str:
    return value if value in ORDERS else ORDERS[0]


@dataclass(frozen=True)
class Shown:
    """What a reader's page holds: every comment up to id `last`, except the top-level ids in (gap_lo, gap_hi]."""

    order: str = ORDERS[0]
    version: int | None = None  # None: the request did not say (no poller on that page)
    last: int = 0
    gap_lo: int = 0
    gap_hi: int = 0

    @classmethod
    def from_values(cls, values) -> Shown:  # noqa: ANN001 (request.args or request.form)
        lo, _, hi = (values.get("gap") or "").partition("-")
        return cls(order=order_from(values.get("order")), version=values.get("v", type=int),
                   last=values.get("last", 0, type=int), gap_lo=_int(lo), gap_hi=_int(hi))

    @property
    def is_newest(self) -> bool:
        return self.order == "newest"

    @property
    def gap(self) -> str:
        return f"{self.gap_lo}-{self.gap_hi}" if self.gap_hi > self.gap_lo else ""

    def has_top(self, top_id: int) -> bool:
        return not self.gap_lo < top_id <= self.gap_hi

    def after_page(self, comments: list[Comment], *, has_more: bool) -> Shown:
        """The same page once a further page of top-level comments is on it."""
        if not has_more or not comments:
            return replace(self, gap_lo=0, gap_hi=0)
        if self.is_newest:
            return replace(self, gap_lo=0, gap_hi=comments[-1].id - 1)
        return replace(self, gap_lo=comments[-1].id)

    def caught_up(self, version: int, last: int) -> Shown:
        return replace(self, version=version, last=max(self.last, last))


def first_page(order: str, comments: list[Comment], *, has_more: bool, version: int, last: int) -> Shown:
    """What a freshly rendered first page shows; the gap runs to `last`, the highest id when it was read."""
    shown = Shown(order=order, version=version, last=last, gap_lo=0, gap_hi=last)
    if not comments:
        return replace(shown, gap_hi=0)
    return shown.after_page(comments, has_more=has_more)


@dataclass(frozen=True)
class Change:
    """One comment of an update: `swap` None replaces it where it stands, else "how:#where" inserts it."""

    comment: Comment
    swap: str | None


def placement(comment: Comment, shown: Shown) -> Change | None:
    """Where a new or changed comment goes on this page, or None when its place is not loaded."""
    if not shown.has_top(comment.top_level_id):
        return None
    if comment.id <= shown.last:
        return Change(comment, None)
    if comment.parent_id:
        return Change(comment, f"beforeend:#replies-{comment.parent_id}")
    if shown.is_newest:
        return Change(comment, f"afterbegin:#comments-{comment.thread_id}")
    return Change(comment, f"beforeend:#comments-late-{comment.thread_id}")  # below any "load more" link


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0
