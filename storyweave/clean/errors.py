"""The one error this stage raises."""


class CleanError(ValueError):
    """The record holds no article (empty, binary, undecodable, nothing left after cleaning)."""
