"""Routes of votes: paper (being written)."""
