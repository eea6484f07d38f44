"""Routes of threads."""
from __future__ import annotations

from civic.threads import bp  # noqa: F401
from civic.threads import models  # noqa: F401
