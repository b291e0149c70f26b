"""The benchmark command: every performance figure, as a ratio against the bare operation."""
