"""Downloads of the lesson and case-study lists, as CSV or JSON.

An export holds what its list page holds, on every page at once: the export views are
the list views with another response, so the same facets, sort and ``published()``
apply. Rows are read ``CHUNK_SIZE`` at a time, each chunk with one query per prefetch,
and written out as they are read, so 100,000 rows never sit in memory together.
"""

import csv
import json

from django.http import StreamingHttpResponse
from django.utils import timezone

from browse.views import LessonListView, PartnershipListView

CHUNK_SIZE = 2000

# A spreadsheet reads a cell beginning with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
LIST_SEPARATOR = "; "

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


class ExportFormatConverter:
    """The ``csv`` or ``json`` at the end of an export's URL."""

    regex = "csv|json"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


def spreadsheet_safe(value):
    """A CSV cell a spreadsheet shows as text, never runs: formulas are quoted away."""
    if value is None:
        return ""
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


class Echo:
    """A file that hands back what is written to it, so csv.writer returns each line."""

    def write(self, value):
        return value


def csv_lines(columns, rows):
    writer = csv.writer(Echo())
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([spreadsheet_safe(row[column]) for column in columns])


def json_lines(rows):
    """A JSON array written one element at a time."""
    separator = "\n"
    yield "["
    for row in rows:
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def isoformat(moment):
    return moment.isoformat() if moment else None


def sorted_names(tags):
    return sorted((tag.name for tag in tags), key=str.casefold)


class ExportMixin:
    """A list view's rows, all of them, streamed as a CSV or JSON download.

    Mixed into a list view, so ``get_queryset`` is the list page's own.
    """

    export_name = ""
    columns: tuple[str, ...] = ()

    def row(self, item):
        """{column: value} for one item; lists where a CSV cell joins several values."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        file_format = kwargs["format"]
        items = self.get_queryset().iterator(chunk_size=CHUNK_SIZE)
        rows = (self.row(item) for item in items)
        lines = csv_lines(self.columns, rows) if file_format == "csv" else json_lines(rows)
        response = StreamingHttpResponse(lines, content_type=CONTENT_TYPES[file_format])
        filename = f"uncommon-alliances-{self.export_name}-{timezone.localdate():%Y-%m-%d}"
        response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
        # One download per combination of filters: nothing for a search engine to keep.
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class LessonExportView(ExportMixin, LessonListView):
    """/lessons/export.csv and .json: the lesson list, filtered and sorted as on the page."""

    export_name = "lessons"
    columns = (
        "url",
        "title",
        "experience",
        "themes",
        "partnership",
        "source",
        "tags",
        "what_happened",
        "lesson",
        "recommendation",
        "evidence",
        "published_at",
        "helpful_count",
        "applied_count",
        "applied_helped_count",
        "applied_partly_count",
        "applied_not_helped_count",
        "credit",
    )

    def get_queryset(self):
        return super().get_queryset().for_credit()

    def row(self, lesson):
        partnership = lesson.partnership
        return {
            "url": self.request.build_absolute_uri(lesson.get_absolute_url()),
            "title": lesson.title,
            "experience": lesson.get_experience_display(),
            "themes": [theme.title for theme in lesson.themes.all()],
            # A case study still in moderation is not public, even by name.
            "partnership": partnership.name if partnership and partnership.is_published else "",
            "source": lesson.source.title if lesson.source else "",
            "tags": sorted_names(lesson.tags.all()),
            "what_happened": lesson.context,
            "lesson": lesson.insight,
            "recommendation": lesson.recommendation,
            "evidence": lesson.evidence,
            "published_at": isoformat(lesson.published_at),
            "helpful_count": lesson.helpful_count,
            # "I applied this lesson": published reports only.
            "applied_count": lesson.applied_count,
            "applied_helped_count": lesson.applied_helped_count,
            "applied_partly_count": lesson.applied_partly_count,
            "applied_not_helped_count": lesson.applied_not_helped_count,
            "credit": lesson.credit,
        }


class PartnershipExportView(ExportMixin, PartnershipListView):
    """/partnerships/export.csv and .json: the case-study list, filtered and sorted as on
    the page."""

    export_name = "case-studies"
    columns = (
        "url",
        "name",
        "summary",
        "status",
        "outcome",
        "region",
        "countries",
        "start_year",
        "end_year",
        "government_role",
        "partners",
        "partnership_success_rating",
        "partnership_success",
        "intervention_impact_rating",
        "intervention_impact",
        "tags",
        "published_at",
        "credit",
    )

    def row(self, partnership):
        return {
            "url": self.request.build_absolute_uri(partnership.get_absolute_url()),
            "name": partnership.name,
            "summary": partnership.summary,
            "status": partnership.get_status_display(),
            "outcome": partnership.get_outcome_display(),
            "region": partnership.get_region_display(),
            "countries": partnership.countries,
            "start_year": partnership.start_year,
            "end_year": partnership.end_year,
            "government_role": partnership.get_government_role_display(),
            # public_name, never the organisation's name: some case studies hide it.
            "partners": [
                f"{participation.public_name} ({participation.organisation.get_sector_display()}"
                f", {participation.get_role_display()})"
                for participation in partnership.participations.all()
            ],
            "partnership_success_rating": partnership.get_partnership_success_rating_display(),
            "partnership_success": partnership.partnership_success,
            "intervention_impact_rating": partnership.get_intervention_impact_rating_display(),
            "intervention_impact": partnership.intervention_impact,
            "tags": sorted_names(partnership.tags.all()),
            "published_at": isoformat(partnership.published_at),
            "credit": partnership.credit,
        }
