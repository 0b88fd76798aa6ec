"""Write built sample rows to the database in bulk, and clear them again."""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Max, Model, Q
from django.db.models.functions import Lower
from django.utils.text import slugify
from taggit.models import Tag

from alliances.models import Organisation, Participation, Partnership, TaggedPartnership
from lessons.models import Lesson, TaggedLesson, Theme
from sampledata.builders.partnerships import PartnershipDraft

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
# Rows go in through one prepared INSERT per table (executemany), not bulk_create: compiling
# bulk_create's SQL, value by value and model instance by model instance, was most of the time a
# large run took. The command writes with the database's triggers suspended (core.triggers), so
# nothing fires per row either; the search index and the content version are rebuilt at the end.


def assign_ids(model: type[Model], objs: Iterable[Model]) -> None:
    """Give new rows their primary keys up front, so their links can name them."""
    # On SQLite the transaction holds the write lock from its start, so nobody else takes these
    # keys meanwhile; elsewhere a concurrent insert would fail the run, never corrupt it.
    start = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
    for pk, obj in enumerate(objs, start=start):
        obj.pk = pk


def reset_sequences(models: Sequence[type[Model]]) -> None:
    """Move the databases' id sequences past keys assigned here, as loaddata does."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _insert(model: type[Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Write rows of database values into these columns of the model's table."""
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# A plain str goes to the database unchanged in these fields, so it skips the conversion.
TEXT_FIELDS = {"CharField", "TextField", "SlugField", "EmailField", "URLField"}


def insert_objects(model: type[Model], objs: Sequence[Model]) -> None:
    """Write model instances, keys included, converting each value as bulk_create would."""
    # The database's own wrapper: every attribute read through django.db.connection (a proxy)
    # costs a lookup, and converting 100,000 rows reads millions.
    database = connections[DEFAULT_DB_ALIAS]
    fields = model._meta.local_concrete_fields
    text = [field.get_internal_type() in TEXT_FIELDS for field in fields]

    def values(obj: Model) -> list[Any]:
        row = []
        for field, is_text in zip(fields, text, strict=True):
            value = field.pre_save(obj, True)
            if not (is_text and type(value) is str):
                value = field.get_db_prep_save(value, database)
            row.append(value)
        return row

    _insert(model, [field.column for field in fields], [values(obj) for obj in objs])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = database.alias


def insert_rows(model: type[Model], names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Write rows of values for the named fields (foreign keys as ids); the database keys them."""
    columns = {field.name: field.column for field in model._meta.concrete_fields}
    _insert(model, [columns[name] for name in names], rows)


def save_partnership_drafts(
    partnership_drafts: Sequence[PartnershipDraft], tag_store: TagStore
) -> dict[str, int]:
    """Write the organisations used, the partnerships, then their partners and tags."""
    used = list(dict.fromkeys(partner[0] for c in partnership_drafts for partner in c.partners))
    organisations = [member.organisation for member in used]
    assign_ids(Organisation, organisations)
    insert_objects(Organisation, organisations)
    partnerships = [c.partnership for c in partnership_drafts]
    assign_ids(Partnership, partnerships)
    insert_objects(Partnership, partnerships)
    participations = [
        (c.partnership.pk, member.organisation.pk, role, contribution)
        for c in partnership_drafts
        for member, role, contribution in c.partners
    ]
    insert_rows(
        Participation, ["partnership", "organisation", "role", "contribution"], participations
    )
    tag_rows = iter(tag_store.get([name for c in partnership_drafts for name in c.tags]))
    links = [(c.partnership.pk, next(tag_rows).pk) for c in partnership_drafts for _name in c.tags]
    insert_rows(TaggedPartnership, ["content_object", "tag"], links)
    return {"organisations": len(used), "participations": len(participations), "tags": len(links)}


def save_lessons(
    built: Sequence[tuple[Lesson, list[Theme], list[str]]], tag_store: TagStore
) -> int:
    """Write one chunk of lessons, then their theme and tag links."""
    lessons = [lesson for lesson, _themes, _tags in built]
    assign_ids(Lesson, lessons)
    insert_objects(Lesson, lessons)
    theme_links = [(lesson.pk, theme.pk) for lesson, themes, _tags in built for theme in themes]
    insert_rows(Lesson.themes.through, ["lesson", "theme"], theme_links)
    tag_rows = iter(tag_store.get([name for _lesson, _themes, tags in built for name in tags]))
    links = [(lesson.pk, next(tag_rows).pk) for lesson, _themes, tags in built for _name in tags]
    insert_rows(TaggedLesson, ["content_object", "tag"], links)
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
    # The command clears with the triggers suspended (core.triggers), so deleting a row's tags and
    # partners no longer re-indexes it after each one.
    lessons = Lesson.objects.filter(is_sample=True).delete()[1].get("lessons.Lesson", 0)
    partnerships = Partnership.objects.filter(is_sample=True).delete()[1]
    # A curator may have added a sample organisation to a real case study: that one stays.
    organisations = Organisation.objects.filter(is_sample=True, participations__isnull=True)
    return {
        "lessons": lessons,
        "partnerships": partnerships.get("alliances.Partnership", 0),
        "organisations": organisations.delete()[1].get("alliances.Organisation", 0),
    }
