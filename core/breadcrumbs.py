"""Breadcrumbs, built in one place: base.html shows the trail any page's context carries."""

from typing import Protocol

from django.urls import reverse


class HasPage(Protocol):
    def get_absolute_url(self) -> str: ...


Crumb = tuple[str, "str | HasPage"]


def breadcrumbs(*crumbs: Crumb | str) -> dict[str, list[tuple[str, str | None]]]:
    """The context for a page's trail after "Home".

    Each crumb is a (label, URL name or object with a page) pair, ending with the page
    itself as a plain label: ``breadcrumbs(("Themes", "lessons:theme-list"), theme.title)``.
    """
    trail: list[tuple[str, str | None]] = []
    for crumb in crumbs:
        if isinstance(crumb, str):
            trail.append((crumb, None))
            continue
        label, target = crumb
        url = reverse(target) if isinstance(target, str) else target.get_absolute_url()
        trail.append((label, url))
    return {"breadcrumb_trail": trail}
