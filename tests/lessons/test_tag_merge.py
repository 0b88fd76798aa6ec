"""Merging tags: in the admin, as a service; items move without duplicates, the old addresses
redirect, and every count, list, feed and search follows at once (the page cache on)."""

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from reversion.models import Version
from taggit.models import Tag

from core.models import SlugRedirect
from core.moderation import ModerationStatus
from lessons import services
from tests.factories import make_lesson, make_partnership
from tests.helpers import run_admin_action
from tests.lessons.recount import assert_counts_exact

pytestmark = pytest.mark.django_db

TAGS = reverse("admin:taggit_tag_changelist")


def tag(slug):
    return Tag.objects.get(slug=slug)


def tag_slugs(item):
    return sorted(item.tags.values_list("slug", flat=True))


@pytest.fixture
def shore(trust):
    """Lessons and a case study tagged "estuary" and "coastline"; one lesson pending."""
    return {
        "only-estuary": make_lesson(title="Tidal planning", themes=[trust], tags=["estuary"]),
        "both": make_lesson(
            title="Sediment budgets", themes=[trust], tags=["estuary", "coastline"]
        ),
        "only-coastline": make_lesson(title="Dune fencing", themes=[trust], tags=["coastline"]),
        "pending": make_lesson(
            title="Secret harbour",
            themes=[trust],
            tags=["estuary"],
            moderation=ModerationStatus.PENDING,
        ),
        "study": make_partnership(name="Delta Compact", tags=["estuary", "wetland"]),
    }


def merge_in_admin(client, *, keep, merge, **extra):
    return run_admin_action(
        client, TAGS, "merge_tags", [keep, *merge], keep=keep.pk, apply="1", **extra
    )


# The admin --------------------------------------------------------------------------------


def test_the_merge_action_asks_which_tag_to_keep_and_changes_nothing_yet(curator_client, shore):
    estuary, coastline = tag("estuary"), tag("coastline")

    response = curator_client.post(
        TAGS, {"action": "merge_tags", "_selected_action": [estuary.pk, coastline.pk]}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Keep this tag" in page
    assert "coastline (/tags/coastline/): 2 lessons, 0 case studies" in page
    assert "estuary (/tags/estuary/): 3 lessons, 1 case study" in page
    assert set(Tag.objects.values_list("slug", flat=True)) >= {"estuary", "coastline"}


def test_merging_in_the_admin_moves_every_item_once_and_deletes_the_merged_tag(
    curator_client, curator, shore
):
    estuary, coastline = tag("estuary"), tag("coastline")

    response = merge_in_admin(curator_client, keep=coastline, merge=[estuary])

    page = response.content.decode()
    assert "Merged “estuary” into “coastline”: 3 lessons and 1 case study moved to it." in page
    assert not Tag.objects.filter(slug="estuary").exists()
    assert tag_slugs(shore["only-estuary"]) == ["coastline"]
    assert tag_slugs(shore["both"]) == ["coastline"]
    assert tag_slugs(shore["only-coastline"]) == ["coastline"]
    assert tag_slugs(shore["pending"]) == ["coastline"]
    assert tag_slugs(shore["study"]) == ["coastline", "wetland"]
    redirect = SlugRedirect.objects.get(old_slug="estuary")
    assert redirect.object_id == coastline.pk
    # The admin log: the kept tag changed, the merged one deleted, both by the curator.
    entries = LogEntry.objects.filter(user=curator)
    assert entries.get(action_flag=CHANGE).change_message == "Merged “estuary” into this tag."
    assert entries.get(action_flag=DELETION).object_repr == "estuary"
    # A new version of every item that moved, carrying its new tag links.
    moved = Version.objects.get_for_object(shore["only-estuary"])
    assert moved.count() == 1
    assert moved.first().revision.user == curator
    assert moved.first().revision.comment == "Merged the tags “estuary” into “coastline”."
    links = moved.first().revision.version_set.filter(content_type__model="taggedlesson")
    assert (shore["only-estuary"].pk, coastline.pk) in {
        (link.field_dict["content_object_id"], link.field_dict["tag_id"]) for link in links
    }
    assert Version.objects.get_for_object(shore["study"]).count() == 1
    assert not Version.objects.get_for_object(shore["only-coastline"]).exists()


def test_merging_with_a_new_name_renames_the_kept_tag_and_redirects_both_old_slugs(
    curator_client, client, shore
):
    estuary, coastline = tag("estuary"), tag("coastline")

    merge_in_admin(curator_client, keep=coastline, merge=[estuary], name="  Coasts and estuaries ")

    kept = Tag.objects.get(pk=coastline.pk)
    assert (kept.name, kept.slug) == ("Coasts and estuaries", "coasts-and-estuaries")
    client.logout()
    for old in ("estuary", "coastline"):
        response = client.get(reverse("pages:tag-detail", args=[old]))
        assert response.status_code == 301
        assert response["Location"] == "/tags/coasts-and-estuaries/"


def test_a_new_name_another_tag_has_is_refused_and_nothing_changes(curator_client, shore):
    estuary, coastline = tag("estuary"), tag("coastline")

    response = merge_in_admin(curator_client, keep=coastline, merge=[estuary], name="wetland")

    page = response.content.decode()
    assert "A tag named “wetland” already exists: select it too to merge it in." in page
    assert Tag.objects.filter(slug="estuary").exists()
    assert tag_slugs(shore["both"]) == ["coastline", "estuary"]
    assert not SlugRedirect.objects.exists()


def test_fewer_than_two_tags_are_refused_clearly(curator_client, shore):
    response = run_admin_action(curator_client, TAGS, "merge_tags", [tag("estuary")])

    assert "Select at least two tags to merge" in response.content.decode()
    assert Tag.objects.filter(slug="estuary").exists()


def test_the_kept_tag_must_be_one_of_the_selected(curator_client, shore):
    estuary, coastline, wetland = tag("estuary"), tag("coastline"), tag("wetland")

    response = run_admin_action(
        curator_client, TAGS, "merge_tags", [estuary, coastline], keep=wetland.pk, apply="1"
    )

    assert "Choose one of the selected tags to keep." in response.content.decode()
    assert Tag.objects.filter(slug="estuary").exists()


def test_a_curator_who_may_not_delete_tags_is_not_offered_the_merge(client, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    editor.user_permissions.set(Permission.objects.filter(codename__in=["view_tag", "change_tag"]))
    client.force_login(editor)

    assert "merge_tags" not in client.get(TAGS).content.decode()


# What visitors see right after, with the page cache on ----------------------------------


def test_every_public_surface_follows_a_merge_at_once(curator_client, shore):
    estuary, coastline = tag("estuary"), tag("coastline")
    visitor = curator_client.__class__()  # anonymous: served from the page cache
    before = {
        "estuary": visitor.get("/tags/estuary/"),
        "tags": visitor.get("/tags/"),
        "facet": visitor.get("/lessons/?tag=coastline"),
        "search": visitor.get("/search/?q=coastline"),
        "feed": visitor.get("/feeds/tags/coastline/"),
    }
    assert all(response.status_code == 200 for response in before.values())
    listed = before["tags"].content.decode()
    assert 'estuary</a>\n    <span class="muted">2 lessons, 1 case study</span>' in listed
    assert 'coastline</a>\n    <span class="muted">2 lessons, 0 case studies</span>' in listed

    merge_in_admin(curator_client, keep=coastline, merge=[estuary])

    old = visitor.get("/tags/estuary/?page=1")
    assert (old.status_code, old["Location"]) == (301, "/tags/coastline/?page=1")
    page = visitor.get("/tags/coastline/").content.decode()
    for title in ("Tidal planning", "Sediment budgets", "Dune fencing", "Delta Compact"):
        assert title in page
    assert "Secret harbour" not in page
    assert page.count("Sediment budgets</a>") == 1

    tags = visitor.get("/tags/").content.decode()
    assert "/tags/estuary/" not in tags
    assert 'coastline</a>\n    <span class="muted">3 lessons, 1 case study</span>' in tags

    facet = visitor.get("/lessons/?tag=coastline").content.decode()
    assert 'value="coastline" checked>' in facet
    assert 'coastline <span class="facet__count">(3)</span>' in facet
    assert "estuary" not in facet.split('name="tag"', 1)[1].split("</fieldset>", 1)[0]

    search = visitor.get("/search/?q=coastline").content.decode()
    for title in ("Tidal planning", "Sediment budgets", "Dune fencing", "Delta Compact"):
        assert title in search
    assert "Secret harbour" not in search
    gone = visitor.get("/search/?q=estuary").content.decode()
    assert "Tidal planning" not in gone and "Delta Compact" not in gone

    feed = visitor.get("/feeds/tags/estuary/")
    assert (feed.status_code, feed["Location"]) == (301, "/feeds/tags/coastline/")
    entries = visitor.get("/feeds/tags/coastline/").content.decode()
    assert entries.count("<entry>") == 3
    api = visitor.get("/api/v1/tags/estuary")
    assert (api.status_code, api["Location"]) == (301, "/api/v1/tags/coastline")
    assert visitor.get("/api/v1/tags/coastline").json()["lesson_count"] == 3
    assert_counts_exact()


def test_a_merged_tags_own_old_slugs_lead_to_the_kept_tag(client, curator, shore):
    estuary = tag("estuary")
    estuary.slug = "estuaries"
    estuary.save()

    services.tags_merge(keep=tag("coastline"), merge=[estuary], by=curator)

    for old in ("estuary", "estuaries"):
        response = client.get(reverse("pages:tag-detail", args=[old]))
        assert (response.status_code, response["Location"]) == (301, "/tags/coastline/")


def test_the_service_refuses_a_merge_with_no_other_tag(curator, shore):
    coastline = tag("coastline")
    with pytest.raises(ValueError, match="at least one other tag"):
        services.tags_merge(keep=coastline, merge=[coastline], by=curator)


# Any tags on any items --------------------------------------------------------------------

TAG_NAMES = ["alpha", "beta", "gamma", "delta", "epsilon"]
tag_sets = st.sets(st.sampled_from(TAG_NAMES), max_size=len(TAG_NAMES))


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(
    lessons=st.lists(st.tuples(tag_sets, st.booleans()), max_size=6),
    partnerships=st.lists(st.tuples(tag_sets, st.booleans()), max_size=4),
    keep=st.sampled_from(TAG_NAMES),
    merge=st.sets(st.sampled_from(TAG_NAMES), min_size=1),
)
def test_after_any_merge_each_item_carries_its_tags_with_the_merged_ones_replaced(
    curator, trust, lessons, partnerships, keep, merge
):
    merge = merge - {keep} or {next(name for name in TAG_NAMES if name != keep)}
    with transaction.atomic():
        for name in TAG_NAMES:
            Tag.objects.create(name=name, slug=name)
        items = [
            (
                make_lesson(themes=[trust], tags=sorted(names), moderation=_status(published)),
                names,
            )
            for names, published in lessons
        ] + [
            (make_partnership(tags=sorted(names), moderation=_status(published)), names)
            for names, published in partnerships
        ]

        services.tags_merge(keep=tag(keep), merge=[tag(name) for name in merge], by=curator)

        for item, names in items:
            expected = names - merge | ({keep} if names & merge else set())
            assert tag_slugs(item) == sorted(expected)
        assert not Tag.objects.filter(slug__in=merge).exists()
        assert_counts_exact()
        transaction.set_rollback(True)


def _status(published):
    return ModerationStatus.PUBLISHED if published else ModerationStatus.PENDING
