"""Routes of designs (pins): filled in by issue 6."""
