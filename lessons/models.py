"""The report's eight themes, its sources and quotes, and lessons learned."""

from typing import ClassVar

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from alliances.models import Participation, Partnership, Region
from core.moderation import NEWEST_FIRST, Moderated, ModeratedQuerySet, ModerationStatus
from core.sectors import Sector
from core.slugs import SlugNaturalKeyManager, TaggedBySlugManager, slug_url


class ThemeQuerySet(models.QuerySet):
    def with_lesson_counts(self):
        """Each theme with ``lesson_total``, its published lessons, in the report's order."""
        published = models.Q(lessons__moderation_status=ModerationStatus.PUBLISHED)
        # Meta.ordering is not applied to aggregating queries: say the order.
        return self.annotate(lesson_total=models.Count("lessons", filter=published)).order_by(
            "number"
        )


class Theme(models.Model):
    """One of the eight key themes of the 2012 Uncommon Alliances report."""

    number = models.PositiveSmallIntegerField(
        unique=True, help_text="Its place in the report's list (1 to 8)."
    )
    title = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    summary = models.CharField(
        max_length=240, help_text="One line, shown beside the title in lists and forms."
    )
    text = models.TextField(help_text="The report's text for this theme.")
    guiding_questions = models.TextField(
        blank=True, help_text="Questions a partnership can ask itself, one per line."
    )

    objects = SlugNaturalKeyManager.from_queryset(ThemeQuerySet)()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return slug_url("lessons:theme-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def paragraphs(self):
        return [p.strip() for p in self.text.split("\n\n") if p.strip()]

    @property
    def question_list(self):
        return [q.strip() for q in self.guiding_questions.splitlines() if q.strip()]


class Source(models.Model):
    """Where a lesson or quote comes from, such as the 2012 conference report."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    publisher = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    url = models.URLField("web address", blank=True)
    description = models.TextField(blank=True)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["-published_on", "title"]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)


class Quote(models.Model):
    """A quote attributed to a named speaker, shown on its theme's page."""

    slug = models.SlugField(max_length=120, unique=True)
    text = models.TextField()
    speaker = models.CharField(max_length=200)
    speaker_title = models.CharField(
        max_length=300, blank=True, help_text="The speaker's position, as the source gives it."
    )
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="quotes")
    theme = models.ForeignKey(
        Theme, on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["theme__number", "speaker"]

    def __str__(self):
        return f"{self.speaker}: {self.text[:60]}"

    def natural_key(self):
        return (self.slug,)


# Long enough for a thorough account, short enough to read; checked by validation, the
# columns themselves stay unbounded text.
LESSON_PART_LIMIT = 5000


class Experience(models.TextChoices):
    WORKED = "worked", "What worked"
    WENT_WRONG = "went_wrong", "What went wrong"


# Most often marked helpful first, then newest.
MOST_HELPFUL = ("-helpful_count", *NEWEST_FIRST)
# Most often reported applied (published reports), then newest; most often it helped.
MOST_APPLIED = ("-applied_count", *NEWEST_FIRST)
HELPED_MOST_OFTEN = ("-applied_helped_count", "-applied_count", *NEWEST_FIRST)


class TaggedLesson(TaggedItemBase):
    """A tag on a lesson, through a real foreign key rather than a generic one."""

    content_object: "models.ForeignKey[Lesson, Lesson]" = models.ForeignKey(
        "Lesson", on_delete=models.CASCADE
    )

    objects: ClassVar[TaggedBySlugManager] = TaggedBySlugManager()

    class Meta:
        unique_together = [("content_object", "tag")]
        # Lessons carrying a tag, newest first, straight from the index.
        indexes = [models.Index(fields=["tag", "content_object"], name="taggedlesson_tag_idx")]

    def natural_key(self):
        return (self.content_object.slug, self.tag.name)

    natural_key.dependencies = ["lessons.lesson", "taggit.tag"]  # type: ignore[attr-defined]


class LessonQuerySet(ModeratedQuerySet):
    def for_theme(self, theme):
        """Lessons filed under this theme."""
        return self.filter(themes=theme)

    def for_cards(self):
        """What a list of lesson cards shows, in a fixed number of queries."""
        return self.select_related("partnership", "source").prefetch_related("themes", "tags")

    def for_credit(self):
        """What each lesson's credit reads: its case study and that one's partners."""
        return self.select_related("partnership").prefetch_related(
            models.Prefetch(
                "partnership__participations",
                queryset=Participation.objects.for_display(),
            )
        )

    def most_helpful(self):
        """Most often marked helpful first."""
        return self.order_by(*MOST_HELPFUL)


class Lesson(Moderated):  # type: ignore[django-manager-missing]  # taggit's through
    """A lesson learned: what happened, the lesson, the recommendation, the evidence."""

    kind_for_visitors = "lesson"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    context = models.TextField(
        "what happened",
        help_text="The situation or driving event the lesson comes from.",
        validators=[MaxLengthValidator(LESSON_PART_LIMIT)],
    )
    insight = models.TextField(
        "the lesson",
        help_text="What was learned.",
        validators=[MaxLengthValidator(LESSON_PART_LIMIT)],
    )
    recommendation = models.TextField(
        help_text="What others should do because of it.",
        validators=[MaxLengthValidator(LESSON_PART_LIMIT)],
    )
    evidence = models.TextField(
        blank=True,
        help_text="What supports the lesson: results, data, sources.",
        validators=[MaxLengthValidator(LESSON_PART_LIMIT)],
    )
    experience = models.CharField(
        "worked or went wrong",
        max_length=20,
        choices=Experience.choices,
        db_index=True,
        help_text="Is this lesson about something that worked, or something that went wrong?",
    )
    themes = models.ManyToManyField(Theme, related_name="lessons")
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
        help_text="The case study it comes from, if any.",
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
        help_text="The publication it comes from, if any.",
    )
    tags = TaggableManager(through=TaggedLesson, blank=True)
    helpful_count = models.PositiveIntegerField(
        "found helpful",
        default=0,
        db_index=True,
        help_text="How many visitors said this lesson helped them.",
    )
    # "I applied this lesson": published reports only, kept by the database's triggers
    # (lessons/applied_counts.py), never written by the application.
    applied_count = models.PositiveIntegerField(
        "applied",
        default=0,
        db_index=True,
        editable=False,
        help_text="How many published reports say this lesson was applied.",
    )
    applied_helped_count = models.PositiveIntegerField(
        "applied: helped", default=0, db_index=True, editable=False
    )
    applied_partly_count = models.PositiveIntegerField(
        "applied: partly helped", default=0, editable=False
    )
    applied_not_helped_count = models.PositiveIntegerField(
        "applied: did not help", default=0, editable=False
    )
    is_sample = models.BooleanField(
        default=False, editable=False, help_text="Generated sample data, not real content."
    )

    objects = SlugNaturalKeyManager.from_queryset(LessonQuerySet)()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        # Published lessons, newest first, read in index order instead of sorted.
        indexes = [
            models.Index(fields=["moderation_status", "published_at"], name="lesson_published_idx")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("lessons:lesson-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    def names_kept_from_credit(self) -> list[str] | None:
        """Those of the case study it comes from, published or not: a lesson's credit
        must not name a partner its case study hides."""
        # partnership_id first: a lesson from no case study costs no query.
        if self.partnership_id is None or self.partnership is None:
            return None
        return self.partnership.names_kept_from_credit()


class HelpfulVote(models.Model):
    """One visitor's "this helped me" on one lesson, kept so that it counts once.

    The visitor is known only by the keyed hash of their address
    (core.ratelimit.address_hash); the lesson's helpful_count is the cached count of its
    votes. Not public content: the content-version triggers do not watch this table.
    """

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="helpful_votes")
    voter = models.CharField(max_length=64, help_text="A keyed hash of the visitor's address.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "voter"], name="one_helpful_vote_per_visitor")
        ]

    def __str__(self):
        return f"{self.voter[:8]}… found lesson {self.lesson_id} helpful"


# A reader's note on applying a lesson: a short account, not a second lesson.
APPLICATION_NOTE_LIMIT = 1000


class Outcome(models.TextChoices):
    HELPED = "helped", "It helped"
    PARTLY = "partly", "It partly helped"
    NOT_HELPED = "not_helped", "It did not help"


class ApplicationReportQuerySet(ModeratedQuerySet):
    def with_note(self):
        return self.exclude(note="")

    def without_note(self):
        return self.filter(note="")


class ApplicationReport(Moderated):
    """A reader's "I applied this lesson": how it went, where, and optionally a short note.

    No account and nothing about the reader is kept (the hourly limit counts their address
    as a keyed hash, in core.ratelimit's own table). A report without a note is published
    at once; one with a note waits for a curator, and counts only once published. The
    lesson's counts are the database's (lessons/applied_counts.py).
    """

    kind_for_visitors = "report of applying a lesson"

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="application_reports")
    outcome = models.CharField("how it went", max_length=12, choices=Outcome.choices)
    sector = models.CharField(
        "your sector",
        max_length=20,
        choices=Sector.choices,
        help_text="The sector of the organisation that applied it.",
    )
    region = models.CharField(
        "where", max_length=20, choices=Region.choices, help_text="Where it was applied."
    )
    note = models.TextField(
        "what happened",
        blank=True,
        validators=[MaxLengthValidator(APPLICATION_NOTE_LIMIT)],
        help_text="Optional, Markdown. Shown once a curator has read it.",
    )

    objects = ApplicationReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "application report"
        indexes = [
            # A lesson's published notes, newest first, straight from the index.
            models.Index(
                fields=["lesson", "moderation_status", "published_at"],
                name="applied_lesson_published_idx",
            )
        ]

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.lesson}"
