"""A public archive loaded into a site: a read-only mirror of what the archive's site shows.

Each table is read from its CSV as it streams out of the zip, typed by its Table Schema
(resources.py), and inserted in batches. Into an empty site every row keeps its id, so
every page and API answer is the same; with ``merge`` rows are matched by slug (tags by
name, case-insensitively, as the site compares them) and only what is missing is added,
renumbered. A partner the archive leaves unnamed becomes an organisation of its own,
named for no one and never listed (its case study hides partners' names), so the case
study reads as it did.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Model
from django.db.models.functions import Lower
from taggit.models import Tag

from alliances.models import (
    Organisation,
    Participation,
    Partnership,
    PartnerSignoff,
    TaggedPartnership,
)
from archive.resources import RESOURCES
from archive.schema import Resource
from core import triggers
from core.moderation import ModerationStatus
from lessons.models import ApplicationReport, Lesson, Quote, Source, TaggedLesson, Theme

BATCH = 1000
BY_NAME = {resource.name: resource for resource in RESOURCES}
LessonTheme = Lesson.themes.through


def typed(value: str, kind: str) -> Any:
    if value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "boolean":
        return value == "true"
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    return value


@contextmanager
def kept_change_times(*models: type[Model]) -> Iterator[None]:
    """The archive's "last changed" times written as they are, not replaced by now."""
    fields = [model._meta.get_field("updated_at") for model in models]
    for field in fields:
        field.auto_now = False  # type: ignore[union-attr]
    try:
        yield
    finally:
        for field in fields:
            field.auto_now = True  # type: ignore[union-attr]


def text(value: str | None) -> str:
    return value or ""


class Mirror:
    """One archive's public tables, loaded in the caller's transaction."""

    def __init__(self, archive: zipfile.ZipFile, *, merge: bool):
        self.archive = archive
        self.merge = merge
        self.ids: dict[str, dict[int, int]] = {name: {} for name in BY_NAME}
        self.added: dict[str, int] = {}
        # Archive ids of the rows this import added: an item the site already had is left
        # as it is, its partners, themes and tags with it.
        self.new: dict[str, set[int]] = {name: set() for name in BY_NAME}
        self.unnamed: dict[int, int] = {}  # unnamed partners numbered so far, per case study

    def rows(self, name: str) -> Iterator[dict[str, Any]]:
        resource: Resource = BY_NAME[name]
        kinds = {column.name: column.type for column in resource.columns}
        with (
            self.archive.open(f"data/{name}.csv") as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="") as file,
        ):
            for row in csv.DictReader(file):
                yield {column: typed(value, kinds[column]) for column, value in row.items()}

    def load(self) -> dict[str, int]:
        # Every trigger set suspended, then rebuilt once (search, counts, content version).
        with kept_change_times(Partnership, Lesson), triggers.suspended():
            return self._load()

    def _load(self) -> dict[str, int]:
        self.items("themes", Theme, "slug", self.theme)
        self.items("sources", Source, "slug", self.source)
        self.items("quotes", Quote, "slug", self.quote)
        self.items("organisations", Organisation, "slug", self.organisation)
        if not self.merge:
            # Ids were given: an unnamed partner's stand-in (numbered by the database) must
            # come after them.
            self.sequences_reset()
        self.items("case-studies", Partnership, "slug", self.case_study)
        self.items("partners", Participation, "", self.partner)
        self.signoffs()
        self.items("lessons", Lesson, "slug", self.lesson)
        self.items("applications", ApplicationReport, "", self.application)
        self.items("tags", Tag, "name", self.tag)
        self.links("lesson-themes", LessonTheme, self.lesson_theme)
        self.links("taggings", None, self.tagging)
        if not self.merge:
            self.sequences_reset()
        return self.added

    # Rows with ids --------------------------------------------------------------------

    def items(self, name: str, model: type[Model], key: str, build: Callable) -> None:
        existing: dict[Any, int] = {}
        if self.merge and key == "name":
            existing = dict(model.objects.values_list(Lower(key), "pk"))  # type: ignore[attr-defined]
        elif self.merge and key:
            existing = dict(model.objects.values_list(key, "pk"))  # type: ignore[attr-defined]
        batch: list[tuple[int, Model]] = []
        self.added[name] = 0
        for row in self.rows(name):
            instance = build(row)
            if instance is None:
                continue
            if key:
                found = existing.get(
                    getattr(instance, key).lower() if key == "name" else getattr(instance, key)
                )
                if found is not None:
                    self.ids[name][row["id"]] = found
                    continue
            if not self.merge:
                instance.pk = row["id"]
            batch.append((row["id"], instance))
            if len(batch) >= BATCH:
                self.flush(name, model, batch)
        self.flush(name, model, batch)

    def flush(self, name: str, model: type[Model], batch: list[tuple[int, Model]]) -> None:
        if not batch:
            return
        created = model.objects.bulk_create([instance for _, instance in batch])  # type: ignore[attr-defined]
        for (archived_id, _), instance in zip(batch, created, strict=True):
            self.ids[name][archived_id] = instance.pk
            self.new[name].add(archived_id)
        self.added[name] += len(batch)
        batch.clear()

    def theme(self, row):
        return Theme(
            number=row["number"],
            slug=row["slug"],
            title=row["title"],
            summary=text(row["summary"]),
            text=text(row["text"]),
            guiding_questions=text(row["guiding_questions"]),
        )

    def source(self, row):
        return Source(
            slug=row["slug"],
            title=row["title"],
            publisher=text(row["publisher"]),
            published_on=row["published_on"],
            url=text(row["url"]),
            description=text(row["description"]),
        )

    def quote(self, row):
        return Quote(
            slug=row["slug"],
            text=row["text"],
            speaker=row["speaker"],
            speaker_title=text(row["speaker_title"]),
            source_id=self.ids["sources"][row["source_id"]],
            theme_id=self.ids["themes"].get(row["theme_id"]),
        )

    def organisation(self, row):
        return Organisation(
            slug=row["slug"],
            name=row["name"],
            sector=row["sector"],
            country=text(row["country"]),
            website=text(row["website"]),
            description=text(row["description"]),
            is_sample=row["is_sample"],
        )

    def case_study(self, row):
        published = row["published_at"]
        return Partnership(
            slug=row["slug"],
            name=row["name"],
            summary=row["summary"],
            story=text(row["story"]),
            region=text(row["region"]),
            countries=text(row["countries"]),
            start_year=row["start_year"],
            end_year=row["end_year"],
            status=row["status"],
            outcome=text(row["outcome"]),
            government_role=text(row["government_role"]),
            partnership_success_rating=row["partnership_success_rating"],
            partnership_success=text(row["partnership_success"]),
            intervention_impact_rating=row["intervention_impact_rating"],
            intervention_impact=text(row["intervention_impact"]),
            featured=row["featured"],
            hide_partner_names=row["hide_partner_names"],
            moderation_status=ModerationStatus.PUBLISHED,
            published_at=published,
            created_at=published,
            updated_at=row["updated_at"],
            # The credit as the archive's site showed it, shown the same way here.
            contributor_name=text(row["credit"]),
            is_sample=row["is_sample"],
        )

    def kept_as_it_was(self, name: str, archived_id: int | None) -> bool:
        return self.merge and archived_id is not None and archived_id not in self.new[name]

    def partner(self, row):
        if self.kept_as_it_was("case-studies", row["case_study_id"]):
            return None
        case_study = self.ids["case-studies"][row["case_study_id"]]
        organisation = self.ids["organisations"].get(row["organisation_id"])
        if organisation is None:
            organisation = self.unnamed_organisation(row, case_study)
        return Participation(
            partnership_id=case_study,
            organisation_id=organisation,
            role=row["role"],
            contribution=text(row["contribution"]),
        )

    def signoffs(self) -> None:
        """Each added partner's public sign-off: its answer, its approved comment, and its
        name kept hidden where the archive leaves it unnamed (so the page names it by sector,
        as the archive's site did). No contact or link: those never leave a site."""
        batch: list[Model] = []
        self.added["partner sign-offs"] = 0
        for row in self.rows("partners"):
            participation = self.ids["partners"].get(row["id"])
            if participation is None or row["id"] not in self.new["partners"]:
                continue
            hidden = row["organisation_id"] is None
            if not hidden and row["signoff"] is None:
                continue
            comment = text(row["signoff_comment"])
            batch.append(
                PartnerSignoff(
                    participation_id=participation,
                    answer=text(row["signoff"]),
                    comment=comment,
                    comment_approved=bool(comment),
                    hide_name=hidden,
                )
            )
            if len(batch) >= BATCH:
                self.flush_links("partner sign-offs", batch)
        self.flush_links("partner sign-offs", batch)

    def unnamed_organisation(self, row, case_study: int) -> int:
        """A partner its case study keeps unnamed: an organisation nobody can name or list,
        numbered in the archive's order (the partners' names' order) so that the case study
        lists its partners in the same order as before."""
        self.unnamed[case_study] = position = self.unnamed.get(case_study, 0) + 1
        slug = f"unnamed-partner-{case_study}-{position:04d}"
        found = Organisation.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if found is not None:
            return found
        placeholder = Organisation(
            slug=slug, name=f"Unnamed partner {case_study}-{position:04d}", sector=row["sector"]
        )
        return Organisation.objects.bulk_create([placeholder])[0].pk

    def lesson(self, row):
        published = row["published_at"]
        return Lesson(
            slug=row["slug"],
            title=row["title"],
            context=text(row["what_happened"]),
            insight=text(row["lesson"]),
            recommendation=text(row["recommendation"]),
            evidence=text(row["evidence"]),
            experience=row["experience"],
            partnership_id=self.ids["case-studies"].get(row["case_study_id"]),
            source_id=self.ids["sources"].get(row["source_id"]),
            helpful_count=row["helpful_count"],
            moderation_status=ModerationStatus.PUBLISHED,
            published_at=published,
            created_at=published,
            updated_at=row["updated_at"],
            contributor_name=text(row["credit"]),
            is_sample=row["is_sample"],
        )

    def application(self, row):
        if self.kept_as_it_was("lessons", row["lesson_id"]):
            return None
        published = row["published_at"]
        return ApplicationReport(
            lesson_id=self.ids["lessons"][row["lesson_id"]],
            outcome=row["outcome"],
            sector=row["sector"],
            region=row["region"],
            note=text(row["note"]),
            moderation_status=ModerationStatus.PUBLISHED,
            published_at=published,
            created_at=published,
        )

    def tag(self, row):
        return Tag(name=row["name"], slug=row["slug"])

    # Links ----------------------------------------------------------------------------

    def links(self, name: str, model: type[Model] | None, build: Callable) -> None:
        batches: dict[type[Model], list[Model]] = {}
        self.added[name] = 0
        for row in self.rows(name):
            link = build(row)
            if link is None:
                continue
            batch = batches.setdefault(type(link), [])
            batch.append(link)
            if len(batch) >= BATCH:
                self.flush_links(name, batch)
        for batch in batches.values():
            self.flush_links(name, batch)

    def flush_links(self, name: str, batch: list[Model]) -> None:
        if not batch:
            return
        # A link the merged site has already is skipped by its unique constraint.
        type(batch[0]).objects.bulk_create(batch, ignore_conflicts=self.merge)  # type: ignore[attr-defined]
        self.added[name] += len(batch)
        batch.clear()

    def lesson_theme(self, row):
        if self.kept_as_it_was("lessons", row["lesson_id"]):
            return None
        return LessonTheme(
            lesson_id=self.ids["lessons"][row["lesson_id"]],
            theme_id=self.ids["themes"][row["theme_id"]],
        )

    def tagging(self, row):
        if self.kept_as_it_was("lessons", row["lesson_id"]) or self.kept_as_it_was(
            "case-studies", row["case_study_id"]
        ):
            return None
        tag = self.ids["tags"][row["tag_id"]]
        if row["lesson_id"] is not None:
            return TaggedLesson(content_object_id=self.ids["lessons"][row["lesson_id"]], tag_id=tag)
        return TaggedPartnership(
            content_object_id=self.ids["case-studies"][row["case_study_id"]], tag_id=tag
        )

    def sequences_reset(self) -> None:
        """Ids were given: the next row a curator adds must not take one of them."""
        models = [
            *(Theme, Source, Quote, Organisation, Partnership, Participation, PartnerSignoff),
            *(Lesson, ApplicationReport, Tag),
        ]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
