"""serve stage (see README)."""
