"""Write built sample rows to the database in bulk, and clear them again."""

from collections.abc import Iterable, Sequence

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model, Q
from django.db.models.functions import Lower
from django.utils.text import slugify
from taggit.models import Tag

from alliances.models import Organisation, Participation, Partnership, TaggedPartnership
from lessons.models import Lesson, TaggedLesson, Theme
from sampledata.builders.partnerships import PartnershipDraft
from search.index import LESSONS, PARTNERSHIPS

# SQLite caps every INSERT at 999 parameters whatever we ask for; PostgreSQL takes the full batch.
BATCH_SIZE = 2000

# Tags --------------------------------------------------------------------------------------------


class TagStore:
    """Tags by lower-case name: existing rows are reused, missing ones created in bulk."""

    def __init__(self, vocabulary: Sequence[str]) -> None:
        slugs = {slugify(name): name for name in vocabulary}
        existing = Tag.objects.annotate(lower_name=Lower("name")).filter(
            Q(lower_name__in=vocabulary) | Q(slug__in=slugs)
        )
        self.by_name = {}
        # Match on the slug too: "Local context" already owns the slug "local-context".
        for tag in existing:
            self.by_name[tag.lower_name] = tag
            self.by_name.setdefault(slugs.get(tag.slug), tag)
        self.created = 0

    def get(self, names: Sequence[str]) -> list[Tag]:
        """The Tag rows for these names, creating any that do not exist yet."""
        missing = list(dict.fromkeys(name for name in names if name not in self.by_name))
        if missing:
            new = Tag.objects.bulk_create(
                [Tag(name=name, slug=slugify(name)) for name in missing], batch_size=BATCH_SIZE
            )
            self.by_name.update(zip(missing, new, strict=True))
            self.created += len(new)
        return [self.by_name[name] for name in names]


# Writing -----------------------------------------------------------------------------------------


def assign_ids(model: type[Model], objs: Iterable[Model]) -> None:
    """Give new rows their primary keys up front, so their children can be written first."""
    # Why: the search index's triggers (search/triggers.py) re-index a
    # lesson or case study for every tag or partner added after it, re-reading its whole text
    # each time, which made tag links the slowest part of a large run. Written before their
    # parent, they are indexed once, with it. Foreign keys are checked at commit, so the order is
    # allowed. On SQLite the transaction holds the write lock from its start, so nobody else
    # takes these keys meanwhile; elsewhere a concurrent insert would fail the run, never
    # corrupt it.
    start = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
    for pk, obj in enumerate(objs, start=start):
        obj.pk = pk


def reset_sequences(models: Sequence[type[Model]]) -> None:
    """Move the databases' id sequences past keys assigned here, as loaddata does."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def save_partnership_drafts(
    partnership_drafts: Sequence[PartnershipDraft], tag_store: TagStore
) -> dict[str, int]:
    """Write the organisations used, then each partnership's partners and tags, then it."""
    used = list(dict.fromkeys(partner[0] for c in partnership_drafts for partner in c.partners))
    Organisation.objects.bulk_create([m.organisation for m in used], batch_size=BATCH_SIZE)
    partnerships = [c.partnership for c in partnership_drafts]
    assign_ids(Partnership, partnerships)
    participations = [
        Participation(
            partnership_id=c.partnership.pk,
            organisation_id=member.organisation.pk,
            role=role,
            contribution=contribution,
        )
        for c in partnership_drafts
        for member, role, contribution in c.partners
    ]
    Participation.objects.bulk_create(participations, batch_size=BATCH_SIZE)
    tag_rows = iter(tag_store.get([name for c in partnership_drafts for name in c.tags]))
    links = [
        TaggedPartnership(content_object_id=c.partnership.pk, tag_id=next(tag_rows).pk)
        for c in partnership_drafts
        for _name in c.tags
    ]
    TaggedPartnership.objects.bulk_create(links, batch_size=BATCH_SIZE)
    Partnership.objects.bulk_create(partnerships, batch_size=BATCH_SIZE)
    return {"organisations": len(used), "participations": len(participations), "tags": len(links)}


def save_lessons(
    built: Sequence[tuple[Lesson, list[Theme], list[str]]], tag_store: TagStore
) -> int:
    """Write one chunk of lessons: their theme and tag links first, then the lessons."""
    lessons = [lesson for lesson, _themes, _tags in built]
    assign_ids(Lesson, lessons)
    ThemeLink = Lesson.themes.through
    theme_links = [
        ThemeLink(lesson_id=lesson.pk, theme_id=theme.pk)
        for lesson, themes, _tags in built
        for theme in themes
    ]
    ThemeLink.objects.bulk_create(theme_links, batch_size=BATCH_SIZE)
    tag_rows = iter(tag_store.get([name for _lesson, _themes, tags in built for name in tags]))
    links = [
        TaggedLesson(content_object_id=lesson.pk, tag_id=next(tag_rows).pk)
        for lesson, _themes, tags in built
        for _name in tags
    ]
    TaggedLesson.objects.bulk_create(links, batch_size=BATCH_SIZE)
    Lesson.objects.bulk_create(lessons, batch_size=BATCH_SIZE)
    return len(links)


# Clearing ----------------------------------------------------------------------------------------


def sample_counts() -> dict[str, int]:
    """How many sample lessons, partnerships and organisations the database holds."""
    return {
        "lessons": Lesson.objects.filter(is_sample=True).count(),
        "partnerships": Partnership.objects.filter(is_sample=True).count(),
        "organisations": Organisation.objects.filter(is_sample=True).count(),
    }


def clear_sample() -> dict[str, int]:
    """Delete the sample rows, lessons first; returns how many of each went."""
    # The searchable text is blanked first. Deletion removes each row's tags and partners before
    # the row itself, and the search index's triggers re-index the row after every one of them;
    # a blank row re-indexes in next to no time, which nearly halves the time a large clear takes.
    sample_lessons = Lesson.objects.filter(is_sample=True)
    sample_lessons.update(**dict.fromkeys(LESSONS.text_columns, ""))
    sample_partnerships = Partnership.objects.filter(is_sample=True)
    sample_partnerships.update(**dict.fromkeys(PARTNERSHIPS.text_columns, ""))
    lessons = sample_lessons.delete()[1].get("lessons.Lesson", 0)
    partnerships = sample_partnerships.delete()[1]
    # A curator may have added a sample organisation to a real case study: that one stays.
    organisations = Organisation.objects.filter(is_sample=True, participations__isnull=True)
    return {
        "lessons": lessons,
        "partnerships": partnerships.get("alliances.Partnership", 0),
        "organisations": organisations.delete()[1].get("alliances.Organisation", 0),
    }
