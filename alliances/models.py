"""Case studies: partnerships, the organisations in them and the role each plays."""

from typing import ClassVar

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from core.moderation import Moderated, ModeratedQuerySet, ModerationStatus
from core.sectors import Sector
from core.slugs import SlugNaturalKeyManager, TaggedBySlugManager, slug_url


class Region(models.TextChoices):
    AFRICA = "africa", "Sub-Saharan Africa"
    MIDDLE_EAST = "middle_east", "Middle East and North Africa"
    ASIA_PACIFIC = "asia_pacific", "Asia and the Pacific"
    EUROPE = "europe", "Europe and Central Asia"
    LATIN_AMERICA = "latin_america", "Latin America and the Caribbean"
    NORTH_AMERICA = "north_america", "North America"
    GLOBAL = "global", "Global / several regions"


class Role(models.TextChoices):
    LEAD = "lead", "Lead partner"
    CONVENER = "convener", "Convener"
    FUNDER = "funder", "Funder"
    IMPLEMENTER = "implementer", "Implementer"
    LOCAL_PARTNER = "local_partner", "Local partner"
    TECHNICAL_PARTNER = "technical_partner", "Technical partner"
    ADVISER = "adviser", "Adviser"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    FORMING = "forming", "Forming"
    ACTIVE = "active", "Active"
    CONCLUDED = "concluded", "Concluded"
    DISSOLVED = "dissolved", "Dissolved"


class Outcome(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    MIXED = "mixed", "Mixed"
    NOT_AS_PLANNED = "not_as_planned", "Did not work out as planned"
    TOO_EARLY = "too_early", "Too early to say"


class GovernmentRole(models.TextChoices):
    """The roles the report (theme 7) sees for government in a partnership."""

    CONVENER = "convener", "Convener"
    CATALYST = "catalyst", "Catalyst"
    COLLABORATOR = "collaborator", "Collaborator"
    FUNDER = "funder", "Funder"
    REGULATOR = "regulator", "Regulator"


class ResultRating(models.IntegerChoices):
    """How far a result was achieved (theme 6 measures results on two levels)."""

    NOT_ACHIEVED = 1, "Not achieved"
    PARTLY = 2, "Partly achieved"
    LARGELY = 3, "Largely achieved"
    FULLY = 4, "Fully achieved"


# Limits on long text, checked by validation: the columns themselves stay unbounded text.
STORY_LIMIT = 20000
RESULT_LIMIT = 4000


class OrganisationQuerySet(models.QuerySet):
    def with_published_partnerships(self):
        """Organisations a visitor may see: named in at least one published case study."""
        # EXISTS, checked per organisation through its own parts: an IN list would first
        # collect every part of every published case study.
        named = Participation.objects.named_in_published().filter(
            organisation=models.OuterRef("pk")
        )
        return self.filter(models.Exists(named))


class Organisation(models.Model):
    """A partner organisation, from any sector."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices, db_index=True)
    country = models.CharField(max_length=100, blank=True)
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    is_sample = models.BooleanField(
        default=False, editable=False, help_text="Generated sample data, not real content."
    )

    objects = SlugNaturalKeyManager.from_queryset(OrganisationQuerySet)()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("alliances:organisation-detail", self.slug)

    def natural_key(self):
        return (self.slug,)


class TaggedPartnership(TaggedItemBase):
    """A tag on a partnership, through a real foreign key rather than a generic one."""

    content_object: "models.ForeignKey[Partnership, Partnership]" = models.ForeignKey(
        "Partnership", on_delete=models.CASCADE
    )

    objects: ClassVar[TaggedBySlugManager] = TaggedBySlugManager()

    class Meta:
        unique_together = [("content_object", "tag")]
        indexes = [models.Index(fields=["tag", "content_object"], name="taggedpartnership_tag_idx")]

    def natural_key(self):
        return (self.content_object.slug, self.tag.name)

    natural_key.dependencies = ["alliances.partnership", "taggit.tag"]  # type: ignore[attr-defined]


class PartnershipQuerySet(ModeratedQuerySet):
    def for_cards(self):
        """What a list of case-study cards shows, in a fixed number of queries."""
        return self.prefetch_related(
            "tags",
            models.Prefetch(
                "participations",
                queryset=Participation.objects.for_display().order_by(
                    "organisation__sector", "organisation__name"
                ),
            ),
        )

    def featured(self):
        """Case studies a curator has chosen to feature."""
        return self.filter(featured=True)

    def confirmed_by_all(self):
        """Case studies every partner of which confirmed the account (at least one)."""
        parts = Participation.objects.filter(partnership=models.OuterRef("pk"))
        unconfirmed = parts.exclude(
            signoff__answer__in=[SignoffAnswer.CONFIRMED, SignoffAnswer.CONFIRMED_WITH_COMMENT]
        )
        return self.filter(models.Exists(parts), ~models.Exists(unconfirmed))


class Partnership(Moderated):  # type: ignore[django-manager-missing]  # taggit's through
    """A case study: a multi-sector partnership and how it turned out."""

    kind_for_visitors = "case study"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(
        max_length=600, help_text="Two or three sentences shown on cards and in search results."
    )
    story = models.TextField(
        blank=True,
        help_text="The case study in full. Markdown: **bold**, *italic*, lists, links.",
        validators=[MaxLengthValidator(STORY_LIMIT)],
    )
    organisations: "models.ManyToManyField[Organisation, Participation]" = models.ManyToManyField(
        Organisation, through="Participation", related_name="partnerships"
    )
    region = models.CharField(max_length=20, choices=Region.choices, blank=True, db_index=True)
    countries = models.CharField(
        max_length=300, blank=True, help_text="Countries where it works, separated by commas."
    )
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Leave empty while it is still running."
    )
    status = models.CharField(max_length=20, choices=Status.choices, db_index=True)
    outcome = models.CharField(
        "how it turned out", max_length=20, choices=Outcome.choices, db_index=True
    )
    government_role = models.CharField(
        max_length=20,
        choices=GovernmentRole.choices,
        blank=True,
        help_text="The government's role, where a government takes part.",
    )
    partnership_success_rating = models.PositiveSmallIntegerField(
        "success of the partnership", choices=ResultRating.choices, null=True, blank=True
    )
    partnership_success = models.TextField(
        "success of the partnership: in words",
        blank=True,
        help_text="How well the partnership itself worked: trust, governance, delivery.",
        validators=[MaxLengthValidator(RESULT_LIMIT)],
    )
    intervention_impact_rating = models.PositiveSmallIntegerField(
        "impact of the intervention", choices=ResultRating.choices, null=True, blank=True
    )
    intervention_impact = models.TextField(
        "impact of the intervention: in words",
        blank=True,
        help_text="What changed for the people and problems the partnership set out to address.",
        validators=[MaxLengthValidator(RESULT_LIMIT)],
    )
    featured = models.BooleanField(default=False, db_index=True, help_text="Show on the home page.")
    tags = TaggableManager(through=TaggedPartnership, blank=True)
    hide_partner_names = models.BooleanField(
        default=False,
        help_text="Show partners by sector and role only, without their names.",
    )
    is_sample = models.BooleanField(
        default=False, editable=False, help_text="Generated sample data, not real content."
    )

    objects = SlugNaturalKeyManager.from_queryset(PartnershipQuerySet)()

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(
                fields=["moderation_status", "published_at"], name="partnership_published_idx"
            ),
            # The home page's featured case studies by name, read from the index at any size
            # (partial: a boolean filter is not an equality an index column can serve).
            models.Index(
                fields=["moderation_status", "name"],
                condition=models.Q(featured=True),
                name="partnership_featured_idx",
            ),
            # Published case studies by name (the A-to-Z sort, a common tag's case studies)
            # read in index order instead of sorted.
            models.Index(fields=["moderation_status", "name"], name="partnership_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__isnull=True)
                | models.Q(start_year__isnull=True)
                | models.Q(end_year__gte=models.F("start_year")),
                name="partnership_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("alliances:partnership-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    def names_kept_from_credit(self) -> list[str] | None:
        """Its partners' names where it hides them (all, or those that asked): no credit may
        show one."""
        hidden = [p.organisation.name for p in self.participations.all() if p.name_hidden]
        return hidden if hidden or self.hide_partner_names else None


class ParticipationQuerySet(models.QuerySet):
    def for_display(self):
        """With what a visitor's view of a partner reads: its organisation, and whether it
        asked for its name to be hidden (its sign-off)."""
        return self.select_related("organisation", "signoff")

    def named_in_published(self):
        """Parts in published case studies that show their partners' names."""
        # A join to each part's own case study, not an IN list of every published one.
        return self.filter(
            partnership__moderation_status=ModerationStatus.PUBLISHED,
            partnership__hide_partner_names=False,
        ).exclude(signoff__hide_name=True)


class Participation(models.Model):
    """One organisation's part in one partnership."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="participations"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    contribution = models.CharField(
        max_length=300, blank=True, help_text="What this partner brought, in a line."
    )

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation", "role"],
                name="one_role_once_per_partner",
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()}) in {self.partnership}"

    @property
    def name_hidden(self) -> bool:
        """Whether its name is kept from visitors: the case study hides every partner's, or
        this partner asked for its own to be hidden (its sign-off)."""
        if self.partnership.hide_partner_names:
            return True
        try:
            return self.signoff.hide_name
        except PartnerSignoff.DoesNotExist:
            return False

    @property
    def public_name(self):
        """The partner's name, or only its sector where its name is hidden."""
        if self.name_hidden:
            return f"A partner from {self.organisation.get_sector_display().lower()}"
        return self.organisation.name


class SignoffAnswer(models.TextChoices):
    NONE = "", "No answer yet"
    CONFIRMED = "confirmed", "Confirmed"
    CONFIRMED_WITH_COMMENT = "commented", "Confirmed, with a comment"
    DISPUTED = "disputed", "Sees it differently"


# What a partner's comment may hold, checked by validation (the column stays unbounded).
SIGNOFF_COMMENT_LIMIT = 2000


class PartnerSignoffQuerySet(models.QuerySet):
    def confirming(self):
        """Sign-offs whose partner confirmed the account (with or without a comment)."""
        return self.filter(
            answer__in=[SignoffAnswer.CONFIRMED, SignoffAnswer.CONFIRMED_WITH_COMMENT]
        )

    def by_token(self, token: str):
        """The sign-off of this private link while it works, in a published case study."""
        return self.filter(
            token=token,
            expires_at__gt=timezone.now(),
            participation__partnership__moderation_status=ModerationStatus.PUBLISHED,
        )


class PartnerSignoff(models.Model):
    """One partner's sign-off on a case study: its private contact, link and answer.

    The contact address is never shown to visitors, nor exported; it follows the privacy
    rules of a contributor's email (erased with the contributor's data, see privacy.html).
    """

    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="signoff"
    )
    contact_email = models.EmailField(
        blank=True, help_text="Who at the partner is asked to confirm it. Never shown."
    )
    token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    answer = models.CharField(
        max_length=20, choices=SignoffAnswer.choices, blank=True, default="", db_index=True
    )
    comment = models.TextField(blank=True, validators=[MaxLengthValidator(SIGNOFF_COMMENT_LIMIT)])
    comment_approved = models.BooleanField(
        default=False, help_text="Show the partner's comment on the case study's page."
    )
    hide_name = models.BooleanField(
        "hide the partner's name",
        default=False,
        help_text="The partner asked that its name be shown nowhere public.",
    )
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PartnerSignoffQuerySet.as_manager()

    class Meta:
        ordering = ["-answered_at", "pk"]
        verbose_name = "partner response"

    def __str__(self):
        return f"{self.participation.organisation} on {self.participation.partnership}"

    @property
    def confirms(self) -> bool:
        return self.answer in (SignoffAnswer.CONFIRMED, SignoffAnswer.CONFIRMED_WITH_COMMENT)

    @property
    def comment_shown(self) -> str:
        """The comment a visitor may read: only once a curator approved it."""
        return self.comment if self.comment_approved and self.answer else ""
