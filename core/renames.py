"""Links that never break: the slugs renamed items leave behind, and the one resolver that
answers an old address with a permanent redirect to the item's current one.

An app declares which of its models keep their old slugs, and which of their items a
visitor may reach (``keep_old_slugs(Lesson, public=Lesson.objects.published)``). From then
on every save that changes an item's slug records the old one (``SlugRedirect``), in the
same transaction as the change wherever the save runs inside one (the admin's forms, the
services, ``history.revision``): a pre_save handler reads the stored slug, a post_save
handler writes the row once the change is saved. Raw saves count too: reverting to an
earlier version (django-reversion saves raw) or loading a dump over existing rows changes
a slug like any edit. A queryset ``update(slug=...)`` sends no signal and is not recorded
(no code here renames that way).

Reading: an address whose slug no live item has is looked up among the old slugs; the row
names the item by id, so a chain of renames ends at the current slug in one 301, and a
slug that a live item took again is that item's (the redirect is never consulted). An item
a visitor may not reach (a withdrawn lesson, a tag on nothing published) is not found:
the redirect would show that it exists.

Pages opt in per URL with ``follows_renames(model)`` around the view; the API asks
``redirect_to_current`` from its 404 handler; the faceted lists ask
``redirect_renamed_values`` about the slugs in their query string. Redirects are not 200s,
so the page cache never stores one.

Signals, not a service, because a slug changes through paths no service sees (the admin's
change form, taggit's Tag admin, a revert): the rule has to hold for every save.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_save, pre_save
from django.http import Http404, HttpRequest, HttpResponseBase, HttpResponsePermanentRedirect
from django.http.response import HttpResponseRedirectBase
from django.urls import NoReverseMatch, reverse

from core.models import SlugRedirect

# Longer than any slug column: such a path was never an item's address.
LONGEST_SLUG = 255
# How many values of one query parameter that are no live item's slug are looked up.
MOST_OLD = 10
# Where a pre_save handler leaves the stored slug for the post_save handler.
STORED_SLUG = "_renames_stored_slug"

_public: dict[type[models.Model], Callable[[], models.QuerySet]] = {}


class HttpResponsePermanentRedirectKeepingMethod(HttpResponseRedirectBase):
    """308: a permanent redirect a browser follows with the same method and body (a POST
    to an old address is sent again to the new one, where a 301 would turn it into a GET)."""

    status_code = 308


def keep_old_slugs(model: type[models.Model], *, public: Callable[[], models.QuerySet]) -> None:
    """Record every slug this model's items leave behind; ``public`` returns the items a
    visitor may reach, which alone an old slug leads to. Called from ``AppConfig.ready``."""
    _public[model] = public
    uid = f"core.renames.{model._meta.label}"
    pre_save.connect(_read_stored_slug, sender=model, dispatch_uid=f"{uid}.pre")
    post_save.connect(_record_old_slug, sender=model, dispatch_uid=f"{uid}.post")


def _read_stored_slug(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    # A raw save (a revert, a dump loaded) builds a new instance for an existing row.
    if instance.pk is None or (instance._state.adding and not raw):
        return
    if update_fields is not None and "slug" not in update_fields:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True).first()
    setattr(instance, STORED_SLUG, stored)


def _record_old_slug(sender, instance, raw=False, **kwargs) -> None:
    stored = instance.__dict__.pop(STORED_SLUG, None)
    if not stored or stored == instance.slug:
        return
    slug_redirect_record(model=sender, old_slug=stored, item_id=instance.pk)


def slug_redirect_record(*, model: type[models.Model], old_slug: str, item_id: int) -> None:
    """Let ``old_slug`` lead to the item ``item_id`` from now on (it may have led elsewhere)."""
    SlugRedirect.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(model),
        old_slug=old_slug,
        defaults={"object_id": item_id},
    )


def slug_redirects_move(*, model: type[models.Model], from_ids: list[int], to_id: int) -> None:
    """Let every old slug of the items ``from_ids`` lead to the item ``to_id`` (merged into it)."""
    SlugRedirect.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=from_ids
    ).update(object_id=to_id)


def current_slug(model: type[models.Model], slug: str) -> str | None:
    """The current slug of the public item that once had ``slug``; None when there is none
    (never an item's, taken again by a live item, or its item not public now)."""
    if model not in _public or not slug or len(slug) > LONGEST_SLUG:
        return None
    if model._default_manager.filter(slug=slug).exists():
        return None
    return _current_slug_of_old(model, slug)


def _current_slug_of_old(model: type[models.Model], slug: str) -> str | None:
    """``current_slug`` for a slug already known to be no live item's."""
    item_id = (
        SlugRedirect.objects.filter(
            content_type=ContentType.objects.get_for_model(model), old_slug=slug
        )
        .values_list("object_id", flat=True)
        .first()
    )
    if item_id is None:
        return None
    current = _public[model]().filter(pk=item_id).values_list("slug", flat=True).first()
    return current if current and current != slug else None


def redirect_to_current(
    request: HttpRequest, model: type[models.Model], slug: str
) -> HttpResponseRedirectBase | None:
    """The same address with the item's current slug in place of ``slug`` (query string
    kept), as a permanent redirect; None when ``slug`` leads nowhere."""
    current = current_slug(model, slug)
    match = request.resolver_match
    if current is None or match is None:
        return None
    try:
        location = reverse(
            match.view_name, args=match.args, kwargs={**match.kwargs, "slug": current}
        )
    except NoReverseMatch:  # a current slug this route's converter refuses
        return None
    if query := request.META.get("QUERY_STRING"):
        location = f"{location}?{query}"
    if request.method in ("GET", "HEAD"):
        return HttpResponsePermanentRedirect(location)
    return HttpResponsePermanentRedirectKeepingMethod(location)


def redirect_renamed_values(
    request: HttpRequest, parameters: dict[str, type[models.Model]]
) -> HttpResponsePermanentRedirect | None:
    """For a list filtered by slugs in its query string (``?tag=…&theme=…``): the same
    address with each old slug among those parameters' values replaced by its item's
    current one, as a permanent redirect; None when there is none (the usual case, at one
    query per parameter given).
    """
    if request.method not in ("GET", "HEAD"):
        return None
    query = request.GET.copy()
    moved = False
    for name, model in parameters.items():
        values = query.getlist(name)
        if not values or model not in _public:
            continue
        live = set(model._default_manager.filter(slug__in=values).values_list("slug", flat=True))
        # A few values are a visitor's choice; a flood of unknown ones is not looked up.
        old = [v for v in values if v not in live and v and len(v) <= LONGEST_SLUG][:MOST_OLD]
        current = {value: _current_slug_of_old(model, value) for value in old}
        if any(current.values()):
            replaced = [current.get(value) or value for value in values]
            query.setlist(name, list(dict.fromkeys(replaced)))
            moved = True
    if not moved:
        return None
    return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")


def follows_renames(model: type[models.Model]) -> Callable[[Any], Any]:
    """Wrap a view whose URL holds a ``slug`` of ``model``: where it finds nothing, an old
    slug of a public item is answered with a redirect to its current address."""

    def decorate(view):
        @wraps(view)
        def view_following_renames(request, *args, **kwargs) -> HttpResponseBase:
            try:
                response = view(request, *args, **kwargs)
            except Http404:
                moved = redirect_to_current(request, model, kwargs["slug"])
                if moved is None:
                    raise
                return moved
            if response.status_code == 404:
                return redirect_to_current(request, model, kwargs["slug"]) or response
            return response

        return view_following_renames

    return decorate
