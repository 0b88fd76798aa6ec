"""The report's eight themes, its sources and quotes, and lessons learned."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from alliances.models import Partnership, SlugNaturalKeyManager
from alliances.moderation import Moderated, ModeratedQuerySet


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

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("lessons:theme-detail", kwargs={"slug": self.slug})

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


# Long enough for a thorough account, short enough to read. Validators, not column
# sizes: changing a column would rebuild the table on SQLite and drop its search triggers.
LESSON_PART_LIMIT = 5000


class Experience(models.TextChoices):
    WORKED = "worked", "What worked"
    WENT_WRONG = "went_wrong", "What went wrong"


class TaggedLessonManager(models.Manager):
    def get_by_natural_key(self, lesson_slug, tag_name):
        return self.get(content_object__slug=lesson_slug, tag__name=tag_name)


class TaggedLesson(TaggedItemBase):
    """A tag on a lesson, through a real foreign key rather than a generic one."""

    content_object = models.ForeignKey("Lesson", on_delete=models.CASCADE)

    objects = TaggedLessonManager()

    class Meta:
        unique_together = [("content_object", "tag")]
        # Lessons carrying a tag, newest first, straight from the index.
        indexes = [models.Index(fields=["tag", "content_object"], name="taggedlesson_tag_idx")]

    def natural_key(self):
        return (self.content_object.slug, self.tag.name)

    natural_key.dependencies = ["lessons.lesson", "taggit.tag"]


class LessonQuerySet(ModeratedQuerySet):
    def for_theme(self, theme):
        """Lessons filed under this theme."""
        return self.filter(themes=theme)

    def for_cards(self):
        """What a list of lesson cards shows, in a fixed number of queries."""
        return self.select_related("partnership", "source").prefetch_related("themes", "tags")

    def latest(self):
        """Newest published first."""
        return self.order_by("-published_at", "-pk")

    def most_helpful(self):
        """Most often marked helpful first."""
        return self.order_by("-helpful_count", "-published_at", "-pk")


class Lesson(Moderated):
    """A lesson learned: what happened, the lesson, the recommendation, the evidence."""

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
        return reverse("lessons:lesson-detail", kwargs={"slug": self.slug})

    def natural_key(self):
        return (self.slug,)


class ContentVersion(models.Model):
    """A single row that database triggers change on every write to public content.

    Cached facet and tag counts are keyed by it, so a publication, an edit or a
    withdrawal (through any path: forms, the admin, bulk updates) is seen at once by
    every server process, without anything having to delete cache entries.
    """

    number = models.BigIntegerField(default=0)
    changed_at = models.CharField(max_length=40, default="")

    class Meta:
        verbose_name = "content version"

    def __str__(self):
        return f"version {self.number} ({self.changed_at})"


class HealthCheck(models.Model):
    """A partnership's answers to the themes' guiding questions, scored, behind a private link.

    It holds no personal data: no name, no email, no address. Scores are stored as they
    were worked out, so the result stays the same when curators later edit the questions.
    """

    token = models.CharField(
        max_length=64, unique=True, editable=False, help_text="The secret in the private link."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    answers = models.JSONField(
        default=dict, help_text="Each question's key (theme slug and number): green, amber or red."
    )
    scores = models.JSONField(
        default=dict, help_text="Each theme's score from 0 to 100, keyed by the theme's slug."
    )
    compared_with = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The earlier check this one is compared with, if any.",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "health check"

    def __str__(self):
        return f"Health check {self.token[:6]}…"

    def get_absolute_url(self):
        return reverse("lessons:health-check-result", kwargs={"token": self.token})
