"""The site's own bookkeeping: the content version and the records of the hourly write limits.

Both tables keep the names they were created with (in the lessons and alliances apps).
"""

from django.db import models
from django.utils import timezone


class ContentVersion(models.Model):
    """A single row that database triggers change on every write a visitor can see.

    Cached facet and tag counts are keyed by it, so a publication, an edit or a
    withdrawal (through any path: forms, the admin, bulk updates) is seen at once by
    every server process, without anything having to delete cache entries. Writes no
    visitor sees (a pending submission, its rejection, an edit of an unpublished item,
    a "this helped me" vote) leave it alone, so they keep the cache warm: the rule is
    in lessons/content_version.py. Nothing keyed by it may read unpublished rows.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.CharField(max_length=40, default="")

    class Meta:
        db_table = "lessons_contentversion"
        verbose_name = "content version"

    def __str__(self):
        return f"version {self.number} ({self.changed_at})"


class LimitedWrite(models.TextChoices):
    """The anonymous writes each limited per address per hour, each with its own limit."""

    SUBMISSION = "submission", "submissions"
    HEALTH_CHECK = "health-check", "health checks"
    VOTE = "vote", "“this helped me” votes"


class SubmissionRecord(models.Model):
    """One anonymous write from one address, kept to limit each kind of write per hour.

    Named for the submissions it first counted; `kind` says which write it is. The
    address is kept only as a keyed hash.
    """

    address_hash = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(
        max_length=20, choices=LimitedWrite.choices, default=LimitedWrite.SUBMISSION
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "alliances_submissionrecord"
        ordering = ["-created_at"]
        # The limit's one read: this address's writes of this kind in the last hour.
        indexes = [
            models.Index(fields=["address_hash", "kind", "created_at"], name="limited_write_idx")
        ]

    def __str__(self):
        return f"{self.kind} from {self.address_hash[:8]}… at {self.created_at:%Y-%m-%d %H:%M}"


# Counts of published content, kept by database triggers ------------------------------
# Declared by the app that knows what is counted (lessons/public_counts.py); read by its
# selectors. The tables carry no foreign keys: values are text (a tag's or theme's id, a
# sector, a year) and owners are ids of any kind.


class PublicCount(models.Model):
    """How many published items have one value of one kind (``scope``): kept by triggers."""

    scope = models.CharField(max_length=40)
    value = models.CharField(max_length=100, blank=True)
    total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "value"], name="public_count_scope_value")
        ]

    def __str__(self):
        return f"{self.scope} {self.value!r}: {self.total}"


class CountContribution(models.Model):
    """One counter that one lesson, case study or organisation (the owner) now adds 1 to."""

    kind = models.CharField(max_length=20)
    owner_id = models.BigIntegerField()
    scope = models.CharField(max_length=40)
    value = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "owner_id"], name="count_contribution_owner")]

    def __str__(self):
        return f"{self.kind} {self.owner_id} adds to {self.scope} {self.value!r}"


class CountMark(models.Model):
    """An owner whose contribution a write may have changed, until it is recomputed.

    Rows live only inside the statement that wrote them: the triggers recompute and
    delete them before it ends.
    """

    kind = models.CharField(max_length=20)
    owner_id = models.BigIntegerField()

    def __str__(self):
        return f"{self.kind} {self.owner_id} to recount"


class SlugRedirect(models.Model):
    """A slug an item had before it was renamed (or merged away), and the item it leads to.

    Written by ``core.renames`` in the same transaction as the change. The item is named by
    its id, so however often it is renamed, every old slug leads to its current one in one
    step; a slug a live item uses again belongs to that item, not to the redirect.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    old_slug = models.CharField(max_length=255)
    object_id = models.BigIntegerField(help_text="The id of the item the old slug leads to.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "old address"
        verbose_name_plural = "old addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "old_slug"], name="slug_redirect_once_per_slug"
            )
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="slug_redirect_item_idx")
        ]

    def __str__(self):
        return f"{self.content_type.model} “{self.old_slug}” → #{self.object_id}"
