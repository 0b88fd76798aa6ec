"""What the history tests share: a curator with the real permissions, and edits made the way
a curator makes them (the admin's own change form, as the browser would send it)."""

from django.contrib.auth.models import Permission
from django.urls import reverse
from reversion.models import Version

from tests.admin_forms import admin_form


def staff_with(django_user_model, username, *codenames, first_name=""):
    """A staff user (not a superuser) holding exactly these permissions."""
    user = django_user_model.objects.create_user(
        username, f"{username}@example.org", "pw-staff-1", is_staff=True, first_name=first_name
    )
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


CURATOR_PERMISSIONS = (
    *(f"{action}_lesson" for action in ("view", "change", "add", "delete")),
    *(f"{action}_partnership" for action in ("view", "change", "add", "delete")),
    *(f"{action}_theme" for action in ("view", "change", "add", "delete")),
    *(f"{action}_quote" for action in ("view", "change", "add", "delete")),
    *(f"{action}_organisation" for action in ("view", "change")),
    *(f"{action}_participation" for action in ("view", "change", "add", "delete")),
    "view_source",
    "change_source",
)


def admin_url(item, page, *args):
    opts = item._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=[item.pk, *args])


def edit_in_admin(client, item, **changes):
    """Save the item's admin change form with these changes; the admin must accept it."""
    url = admin_url(item, "change")
    response = client.post(url, admin_form(client, url, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    return response


def versions(item):
    """The item's versions, newest first."""
    return list(
        Version.objects.get_for_object(item)
        .select_related("revision__user", "revision__author")
        .order_by("-revision__date_created", "-pk")
    )
