"""The site's own bookkeeping: the content version, the records of the hourly write limits,
the kept counts, the mail outbox and the moderation log.

The first two keep the names they were created with (in the lessons and alliances apps).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
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
    # Follow by email (follows/): requests from one client, and for one email address.
    FOLLOW = "follow", "requests to follow by email"
    FOLLOW_ADDRESS = "follow-address", "requests to follow by email for one address"
    # A partner's answer on its private sign-off page (signoff/).
    SIGNOFF = "signoff", "partner sign-off answers"
    # "I applied this lesson" reports (lessons/).
    APPLIED = "applied", "reports of applying a lesson"


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


# The mail outbox (core/mail.py) ----------------------------------------------------------


class MailStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutgoingMail(models.Model):
    """One email, queued in the transaction of the change it tells about and sent after it
    commits. Once sent, its recipients and body (which may hold a private link) are wiped."""

    kind = models.CharField(max_length=60, help_text="The template it was rendered from.")
    to = models.JSONField(default=list, blank=True)
    from_email = models.CharField(max_length=254)
    subject = models.CharField(max_length=300)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    message_id = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=MailStatus.choices, default=MailStatus.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "outgoing email"
        verbose_name_plural = "outgoing emails"
        # The drainer's one read: what is queued and due, oldest first.
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_due_idx")]

    def __str__(self):
        return f"{self.subject} ({self.get_status_display()})"


# The moderation log ------------------------------------------------------------------------


class ModerationAction(models.TextChoices):
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CHANGES_REQUESTED = "changes", "Changes requested"
    RESUBMITTED = "resubmitted", "Resubmitted"
    RETURNED = "returned", "Returned to the queue"


class ModerationDecision(models.Model):
    """One moderation decision about one submitted item: what, who, why, and when.

    Written in the transaction of the change it records. ``curator`` is empty when the
    contributor acted (a resubmission) or the curator's account was deleted since.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    action = models.CharField(max_length=20, choices=ModerationAction.choices)
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_decisions",
    )
    message = models.TextField(
        blank=True, help_text="The reason, or the changes asked for, in the curator's words."
    )
    contributor_emailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "moderation decision"
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="moderation_decision_item")
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.content_type.model} {self.object_id}"

    @property
    def by(self) -> str:
        """Who decided, as curators read it."""
        if self.curator_id is not None:
            return str(self.curator)
        if self.action == ModerationAction.RESUBMITTED:
            return "the contributor"
        return "a deleted account"


class RevisionAuthor(models.Model):
    """Who made a revision of curated content when it was not a curator signed in to the
    admin: "the contributor" (through their private link) or a command's name. A curator's
    revisions name them through the revision's own user."""

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="author"
    )
    label = models.CharField(max_length=100)

    def __str__(self):
        return self.label


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
