"""Routes of votes: close (being written)."""
