"""'Related' candidates are published items only: a pending one never takes a place."""

import pytest

from alliances.models import TaggedPartnership
from alliances.views import related_partnerships
from core.moderation import ModerationStatus
from tests.factories import make_partnership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("pending_items", [1, 3])
def test_a_pending_item_sharing_a_tag_displaces_no_published_one(monkeypatch, pending_items):
    monkeypatch.setattr("core.related.CANDIDATES_PER_TAG", 1)
    shown = make_partnership(name="Shown", tags=["rivers"])
    older = make_partnership(name="Older published", tags=["rivers"])
    for number in range(pending_items):
        make_partnership(
            name=f"Newer pending {number}", tags=["rivers"], moderation=ModerationStatus.PENDING
        )

    related = related_partnerships(shown)

    assert [item.name for item in related] == ["Older published"]
    assert TaggedPartnership.objects.count() == 2 + pending_items
    assert older.pk < max(TaggedPartnership.objects.values_list("content_object_id", flat=True))
