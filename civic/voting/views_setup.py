"""Routes of votes: setup (being written)."""
