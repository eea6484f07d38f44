"""The expert's scoring form: one select `score-<criterion id>-<choice id>` (0–10) per cell of the rubric.

The cells depend on the vote, so this reads the posted fields itself rather than declaring WTForms fields;
CSRF is checked by the site-wide CSRFProtect like every other POST.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from civic.voting.expert import MAX_SCORE
from civic.voting.models import Vote

SCORE_VALUES = tuple(range(MAX_SCORE + 1))


def field_name(criterion_id: int, choice_id: int) -> str:
    return f"score-{criterion_id}-{choice_id}"


@dataclass
class ScoreForm:
    """What the page shows in each select (as typed or as stored), and what is wrong with it."""

    values: dict[str, str] = field(default_factory=dict)  # field name → "0".."10" or ""
    missing: set[str] = field(default_factory=set)  # field names left empty or not a score
    errors: list[str] = field(default_factory=list)  # messages above the form

    @classmethod
    def from_scores(cls, vote: Vote, scores: dict[tuple[int, int], int]) -> ScoreForm:
        return cls({field_name(c.id, ch.id): str(scores[(c.id, ch.id)])
                    for c in vote.criteria for ch in vote.choices if (c.id, ch.id) in scores})

    @classmethod
    def from_post(cls, vote: Vote, data: MultiDict) -> ScoreForm:
        """Only this vote's cells are read: a posted field for another vote's choice is simply not one of them."""
        names = [field_name(c.id, ch.id) for c in vote.criteria for ch in vote.choices]
        form = cls({name: (data.get(name) or "").strip() for name in names})
        form.missing = {name for name, raw in form.values.items() if _as_score(raw) is None}
        if form.missing:
            form.errors.append(_("Choose a score from 0 to 10 for every choice on every criterion "
                                 "(%(n)d still empty).", n=len(form.missing)))
        return form

    def scores(self) -> dict[tuple[int, int], int]:
        """The cells as the service takes them (only call once the form has no missing cell)."""
        out = {}
        for name, raw in self.values.items():
            _prefix, criterion_id, choice_id = name.split("-")
            out[(int(criterion_id), int(choice_id))] = _as_score(raw)
        return out

    def is_valid(self) -> bool:
        return not self.missing and not self.errors


def _as_score(raw: str) -> int | None:
    if not raw.isdigit() or not raw.isascii():
        return None
    value = int(raw)
    return value if 0 <= value <= MAX_SCORE else None
