"""Routes of votes: results (being written)."""
