"""Moderation, written once for everything a visitor can submit.

``lessons`` imports this module; ``alliances`` owns it because imports run from
``lessons`` to ``alliances`` and never back.
"""

from django.db import models
from django.utils import timezone


class ModerationStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    PUBLISHED = "published", "Published"
    REJECTED = "rejected", "Rejected"


class ModeratedQuerySet(models.QuerySet):
    def published(self):
        """Only what a curator has published: every public read starts here."""
        return self.filter(moderation_status=ModerationStatus.PUBLISHED)

    def pending(self):
        """Submissions waiting for a curator."""
        return self.filter(moderation_status=ModerationStatus.PENDING)

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
    updated_at = models.DateTimeField(auto_now=True)

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
