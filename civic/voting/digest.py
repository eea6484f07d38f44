"""The results digest: SHA-256 over the canonical text of the counted ballots, which anyone can rebuild.

The text: one line per current ballot, sorted by receipt code, `receipt|answer or marks_key|area` with the area
in two decimals, lines joined by "\\n" (none after the last), hashed as UTF-8.
"""
from __future__ import annotations

import hashlib

from sqlalchemy import String, cast, func, literal, select, text

from civic.extensions import db
from civic.voting.models import Ballot


def _area_text():  # noqa: ANN202
    """The area with two decimals, formatted by the database (15,000 Decimals in Python cost more than the count)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(Ballot.area_m2, String)  # numeric(10,2) prints with its two decimals
    return func.printf("%.2f", Ballot.area_m2)


def canonical_text(vote_id: int) -> str:
    """One line per counted ballot, sorted by receipt: `receipt|answer or marks_key|area` (area with 2 decimals)."""
    line = (Ballot.receipt + literal("|") + func.coalesce(Ballot.answer, Ballot.marks_key, literal(""))
            + literal("|") + _area_text())
    rows = [tuple(row) for row in db.session.execute(select(Ballot.receipt, line).where(Ballot.vote_id == vote_id))]
    rows.sort()  # by receipt, by code point in Python, so no database collation can change the order
    return "\n".join(line_text for _receipt, line_text in rows)


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# The same canonical text, hashed inside PostgreSQL (15,000 lines never cross the wire). COLLATE "C" orders by
# bytes, which for the ASCII receipt codes is the code-point order Python's sort uses on SQLite.
_PG_DIGEST = text("""
SELECT count(*), encode(sha256(convert_to(coalesce(string_agg(
    receipt || '|' || coalesce(answer, marks_key, '') || '|' || area_m2::text, E'\\n' ORDER BY receipt COLLATE "C"),
  ''), 'UTF8')), 'hex')
FROM ballots WHERE vote_id = :vote_id""")


def digest_and_count(vote_id: int) -> tuple[str, int]:
    """SHA-256 hex of the canonical text and the number of its lines (the counted ballots)."""
    if db.session.get_bind().dialect.name == "postgresql":
        counted, digest = db.session.execute(_PG_DIGEST, {"vote_id": vote_id}).one()
        return digest, counted
    lines = canonical_text(vote_id)
    return digest_of(lines), lines.count("\n") + 1 if lines else 0
