"""Expert review (专家评审): rubric scores per choice, and the final score weighting public vote and experts.

(Being written: `summary(vote, public_shares)` returns None until then.)
"""
from __future__ import annotations

from fractions import Fraction

from civic.voting.models import Vote


def summary(vote: Vote, public_shares: dict[int, Fraction]):  # noqa: ANN201
    return None
