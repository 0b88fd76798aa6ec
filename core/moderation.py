"""Moderation, written once for everything a visitor can submit.

A submission starts pending and is shown to no visitor, anywhere, until a curator
publishes it: every public read starts from ``published()``.
"""

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.mentions import mentions_any
from core.sectors import Sector

# The order of every "newest first" list, feed and API page: by publication, then id.
NEWEST_FIRST = ("-published_at", "-pk")


# What a submission keeps about the person who sent it in (see templates/pages/privacy.html).
CONTRIBUTOR_FIELDS = (
    "contributor_name",
    "contributor_organisation",
    "contributor_sector",
    "contributor_email",
)


class ModerationStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"
    # Back with the contributor, who edits it through their private link; never public.
    CHANGES_REQUESTED = "changes", "Changes requested"


class ModeratedQuerySet(models.QuerySet):
    def published(self):
        """Only what a curator has published: every public read starts here."""
        return self.filter(moderation_status=ModerationStatus.PUBLISHED)

    def pending(self):
        """Submissions waiting for a curator."""
        return self.filter(moderation_status=ModerationStatus.PENDING)

    def awaiting_changes(self):
        """Submissions a curator sent back to their contributor for changes."""
        return self.filter(moderation_status=ModerationStatus.CHANGES_REQUESTED)

    def with_contributor_data(self):
        """Items that still hold something about the person who sent them in."""
        held = Q()
        for field in CONTRIBUTOR_FIELDS:
            held |= ~Q(**{field: ""})
        return self.filter(held)

    def newest_first(self):
        """Most recently published first."""
        return self.order_by(*NEWEST_FIRST)

    def publish(self):
        """Publish these rows; returns how many changed."""
        return self.exclude(moderation_status=ModerationStatus.PUBLISHED).update(
            moderation_status=ModerationStatus.PUBLISHED,
            published_at=timezone.now(),
            rejection_reason="",
            updated_at=timezone.now(),
        )

    def reject(self, reason=""):
        """Reject these rows, withdrawing any that were published; returns how many changed."""
        return self.exclude(moderation_status=ModerationStatus.REJECTED).update(
            moderation_status=ModerationStatus.REJECTED,
            rejection_reason=reason,
            updated_at=timezone.now(),
        )


class Moderated(models.Model):
    """Fields shared by every model a visitor can submit."""

    moderation_status = models.CharField(
        "moderation",
        max_length=10,
        choices=ModerationStatus.choices,
        default=ModerationStatus.PENDING,
        db_index=True,
        help_text="Only published items are shown to visitors, anywhere on the site.",
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    rejection_reason = models.TextField(
        blank=True, help_text="Why it was not published (kept for curators)."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revised_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the contributor last sent it back, changed as a curator asked.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Who sent it in, when a visitor did. The email is for curators' follow-up only and is
    # never shown on the public site.
    contributor_name = models.CharField(max_length=120, blank=True)
    contributor_organisation = models.CharField(max_length=200, blank=True)
    contributor_sector = models.CharField(max_length=20, choices=Sector.choices, blank=True)
    contributor_email = models.EmailField(
        blank=True, help_text="For curators' follow-up only; never shown on the site."
    )
    publish_anonymously = models.BooleanField(
        default=False, help_text="The contributor asked to be published without their name."
    )
    status_token = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="The secret in the contributor's private status link.",
    )

    # What visitors call this kind of item, in the emails and pages written to them.
    kind_for_visitors = "submission"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Keep published_at in step when a curator publishes from the edit form.
        if self.is_published and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_published(self):
        return self.moderation_status == ModerationStatus.PUBLISHED

    def names_kept_from_credit(self) -> list[str] | None:
        """Organisation names its credit must never show, or None when nothing is hidden.

        A model whose credit could name a partner that asked to stay unnamed says which
        (a case study that hides its partners' names, a lesson from one).
        """
        return None

    @property
    def credit(self):
        """The contributor as shown to visitors, or an empty string.

        Where partners' names are hidden, they stay hidden whichever field a name arrives
        by: the contributor's organisation is never shown (it is most often one of the
        partners, and names are spelt too many ways to be told apart reliably), and a
        contributor's name that names a partner, or that organisation, is not shown either.
        """
        if self.publish_anonymously or not self.contributor_name:
            return ""
        hidden = self.names_kept_from_credit()
        if hidden is None:
            if self.contributor_organisation:
                return f"{self.contributor_name}, {self.contributor_organisation}"
            return self.contributor_name
        if mentions_any(self.contributor_name, [*hidden, self.contributor_organisation]):
            return ""
        return self.contributor_name


def moderated_models() -> list[type[Moderated]]:
    """Every kind of item visitors can submit (lessons, case studies), found without importing
    the apps that define them."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Moderated) and not model._meta.proxy  # a proxy's rows are its base's
    ]
