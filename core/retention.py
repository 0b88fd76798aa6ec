"""What apps above core keep only for a while: each registers how to delete it, and
``manage.py purge_expired`` runs them all (core imports no app above it)."""

from collections.abc import Callable

# (what is deleted, in words; a function deleting it and returning how many)
PURGES: list[tuple[str, Callable[[], int]]] = []


def register(what: str, purge: Callable[[], int]) -> None:
    """Have purge_expired run ``purge`` too (called once, from an app's ``ready()``)."""
    if all(existing is not purge for _, existing in PURGES):
        PURGES.append((what, purge))
