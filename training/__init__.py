"""Training, evaluation and alignment commands (they build the shipped checkpoints)."""
