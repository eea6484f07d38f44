"""Routes of designs (compare): filled in by issue 6."""
