"""Cross-source comparison: align statements across a story's articles, find what they agree on
and where they disagree."""
