"""Routes of votes: expert (being written)."""
