"""Routes of votes: ballot (being written)."""
