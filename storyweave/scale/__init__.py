"""scale stage (see README)."""
