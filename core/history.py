"""Every version of what curators curate: who changed it, when, and what it was.

Built on django-reversion. Each domain app registers its own models (``register``), saying
which related rows travel with an item (a case study's partners, a lesson's tag links), so a
version is the whole item and reverting it restores the whole item.

A version is recorded only inside a ``revision`` block, which is one transaction with the
change it records: a failed change leaves no version, and a version never lacks its change.
Every write path opens one: the admin (its change forms and bulk actions), the services, the
management commands.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import reversion
from django.db import models

# Who made a revision, when it was not a curator signed in to the admin.
CONTRIBUTOR = "the contributor"


@contextmanager
def revision(*, by: Any = None, by_contributor: bool = False, comment: str = "") -> Iterator[None]:
    """Record, in one transaction with the changes made inside the block, a version of
    every registered item saved (or explicitly ``record``-ed) in it.

    ``by`` is the curator (a user); ``by_contributor`` marks a change made by the contributor
    through their private link. Nested blocks join the outer one.
    """
    with reversion.create_revision(atomic=True):
        if by is not None and getattr(by, "is_authenticated", False):
            reversion.set_user(by)
        if by_contributor:
            comment = f"{comment} ({CONTRIBUTOR})" if comment else f"Changed by {CONTRIBUTOR}."
        if comment:
            reversion.set_comment(comment)
        yield


def record(items: Iterable[models.Model]) -> None:
    """Add these items, as they are now, to the open revision: for writes that save no model
    (a queryset's update, as bulk publishing does). Call after the write, inside ``revision``."""
    for item in items:
        if reversion.is_registered(type(item)):
            reversion.add_to_revision(item)


def register(
    model: type[models.Model], *, follow: tuple[str, ...] = (), exclude: tuple[str, ...] = ()
):
    """Keep the versions of this model, with the related rows named in ``follow``."""
    if not reversion.is_registered(model):
        reversion.register(model, follow=follow, exclude=exclude)
    return model
