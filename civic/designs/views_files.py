"""Routes of designs (files): filled in by issue 6."""
