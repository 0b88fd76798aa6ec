"""Who follows what by email: an address, kept once, and the lists it follows."""

from django.db import models
from django.urls import reverse

from core.privacy import new_private_token


class Kind(models.TextChoices):
    THEME = "theme", "a theme"
    TAG = "tag", "a tag"
    LESSONS = "lessons", "a list of lessons"
    PARTNERSHIPS = "partnerships", "a list of case studies"


class Frequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


class State(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Confirmed"


class Subscriber(models.Model):
    """An email address that asked to follow something; never shown, deleted with its last
    subscription."""

    email = models.EmailField(max_length=254, unique=True)
    # The private link to the page listing this address's subscriptions.
    token = models.CharField(max_length=64, unique=True, default=new_private_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"Subscriber {self.pk}"

    def get_absolute_url(self):
        return reverse("follows:manage", args=[self.token])


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        """Subscriptions whose address confirmed them: the only ones that get digests."""
        return self.filter(state=State.CONFIRMED)

    def due(self, frequency):
        """Confirmed subscriptions of one frequency, in an order that groups equal lists."""
        return self.confirmed().filter(frequency=frequency).order_by("kind", "query", "pk")


class Subscription(models.Model):
    """One followed theme, tag or filtered list, and how far its digests have gone."""

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What is followed, as the list's normalised query string (theme=…, tag=…, or a list's
    # filters): slugs, followed through renames and merges when the digest is made.
    query = models.CharField(max_length=2000)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # Confirms while pending, then unsubscribes with one click: a private link either way.
    token = models.CharField(max_length=64, unique=True, default=new_private_token)
    requested_at = models.DateTimeField()
    confirmation_sent_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Every item published up to here has been sent (or was published before confirming).
    sent_up_to = models.DateTimeField(null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "kind", "query"], name="follows_one_per_list"
            )
        ]
        indexes = [models.Index(fields=["state", "frequency", "kind", "query"])]

    def __str__(self):
        return f"Subscription {self.pk} ({self.kind})"
