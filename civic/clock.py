"""The one place that reads the wall clock; everything else takes `now` as an argument."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Naive UTC, as stored in the database (Flask-Babel shows it in Asia/Shanghai)."""
    return datetime.now(UTC).replace(tzinfo=None)
