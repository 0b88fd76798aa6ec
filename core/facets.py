"""Faceted browsing: filters that live in the query string, with counts, cleared one by one.

A facet reads its values from the query string, narrows a queryset to them, and counts,
for each of its values, the rows that the *other* facets leave, in one query however
many rows there are. Used by the case-study and lesson lists.
"""

from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    id: str


class Facet:
    """A filter on one attribute; several values may be chosen, and any of them matches.

    ``choices`` is either a list of (value, label) with ``counts(queryset)`` returning
    {value: count}, or a callable ``choices(queryset, selected)`` returning
    (value, label, count) rows with the counts worked out in the same query.

    ``page_filter``, when given, narrows a sorted page instead of ``filter``: a per-row
    EXISTS lets the database walk an index in the page's order and stop at its end, where
    an IN list is first collected whole (the better shape for counting every match).
    ``one_per_row`` says each row holds exactly one value (a column): the counts of the
    chosen values then add up to the rows every facet leaves (see ``FacetSet.total``).
    ``stored(counts)``, if given, answers the same from counts kept ahead of time (see
    ``FacetSet.stored_options``) for the list with nothing chosen: {value: count}, or
    (value, label, count) rows where ``choices`` is a callable.
    """

    template = "includes/facet_checkboxes.html"

    def __init__(
        self,
        name,
        label,
        *,
        choices,
        filter,
        counts=None,
        stored=None,
        help_text="",
        page_filter=None,
        one_per_row=False,
    ):
        self.name = name
        self.label = label
        self.help_text = help_text
        self._choices = choices
        self._filter = filter
        self._page_filter = page_filter or filter
        self._counts = counts
        self.one_per_row = one_per_row
        self._stored = stored

    def read(self, params):
        """The chosen values, as (parameter, value) pairs, unknown values dropped."""
        values = [value for value in params.getlist(self.name) if value]
        if not callable(self._choices):
            allowed = {str(value) for value, _ in self._choices}
            values = [value for value in values if value in allowed]
        return [(self.name, value) for value in dict.fromkeys(values)][:20]

    def filter(self, queryset, pairs, *, page=False):
        values = [value for _, value in pairs]
        if not values:
            return queryset
        return (self._page_filter if page else self._filter)(queryset, values)

    def bind(self, queryset, pairs):
        selected = {value for _, value in pairs}
        if callable(self._choices):
            rows = self._choices(queryset, selected)
        else:
            rows = self._rows(self._counts(queryset))
        return self._options(rows, selected)

    def bind_stored(self, counts):
        """The options with nothing chosen, from stored counts; None without a reader."""
        if self._stored is None:
            return None
        rows = self._stored(counts)
        return self._options(rows if callable(self._choices) else self._rows(rows), set())

    def _rows(self, counts):
        return [(value, label, counts.get(value, 0)) for value, label in self._choices]

    def _options(self, rows, selected):
        return [
            FacetOption(str(value), label, count, str(value) in selected, f"f-{self.name}-{value}")
            for value, label, count in rows
            if count or str(value) in selected
        ]

    def describe(self, pair, options):
        for option in options:
            if option.value == pair[1]:
                return option.label
        return pair[1]


class YearRangeFacet:
    """Case studies active at some point between two years (either end may be open)."""

    template = "includes/facet_year_range.html"

    def __init__(self, name, label, *, start_field, end_field, bounds, stored_bounds=None):
        self.name = name
        self.label = label
        self.help_text = ""
        self.start_field = start_field
        self.end_field = end_field
        self._bounds = bounds
        self._stored_bounds = stored_bounds
        self.params = (f"{name}_from", f"{name}_to")

    def read(self, params):
        pairs = []
        for param in self.params:
            value = (params.get(param) or "").strip()
            # ASCII digits only: "²" is a digit to str.isdigit, but not to int().
            if value.isascii() and value.isdigit() and 1800 <= int(value) <= 2200:
                pairs.append((param, value))
        return pairs

    one_per_row = False

    def filter(self, queryset, pairs, *, page=False):
        chosen = dict(pairs)
        if year_to := chosen.get(self.params[1]):
            queryset = queryset.filter(**{f"{self.start_field}__lte": int(year_to)})
        if year_from := chosen.get(self.params[0]):
            queryset = queryset.exclude(**{f"{self.end_field}__lt": int(year_from)})
        return queryset

    def bind(self, queryset, pairs):
        return self._bound(self._bounds(queryset), pairs)

    def bind_stored(self, counts):
        """The bounds with nothing chosen, from stored counts; None without a reader."""
        return None if self._stored_bounds is None else self._bound(self._stored_bounds(counts), [])

    def _bound(self, bounds, pairs):
        chosen = dict(pairs)
        lowest, highest = bounds
        return {
            "from": chosen.get(self.params[0], ""),
            "to": chosen.get(self.params[1], ""),
            "min": lowest,
            "max": highest,
            "from_name": self.params[0],
            "to_name": self.params[1],
        }

    def describe(self, pair, options):
        word = "from" if pair[0] == self.params[0] else "until"
        return f"{word} {pair[1]}"


@dataclass
class BoundFacet:
    facet: object
    options: object

    @property
    def name(self):
        return self.facet.name

    @property
    def label(self):
        return self.facet.label

    @property
    def template(self):
        return self.facet.template


class FacetSet:
    """The facets of one list page, bound to the visitor's query string."""

    def __init__(self, facets, params, *, keep=("sort", "q"), stored=None):
        self.facets = facets
        self.params = params
        self.keep = keep
        self.selected = {facet.name: facet.read(params) for facet in facets}
        self._stored = stored
        self._stored_counts = None

    def filter(self, queryset, *, exclude=None, page=False):
        """The rows every facet (but ``exclude``) leaves; ``page=True`` for a sorted page."""
        for facet in self.facets:
            if facet.name != exclude:
                queryset = facet.filter(queryset, self.selected[facet.name], page=page)
        return queryset

    def total(self, options):
        """How many rows every facet leaves, read from ``options()`` when it can be.

        A chosen facet with one value per row was counted against the other facets, so
        the counts of its chosen values add up to exactly the rows all of them leave: no
        COUNT needed. None when no such facet is chosen.
        """
        for facet in self.facets:
            if facet.one_per_row and self.selected[facet.name]:
                chosen = {value for _, value in self.selected[facet.name]}
                return sum(option.count for option in options[facet.name] if option.value in chosen)
        return None

    def options(self, queryset):
        """{facet name: its options}, each counted against what the other facets leave.

        Plain data, so it can be cached (see ``cache_key``).
        """
        return {
            facet.name: facet.bind(
                self.filter(queryset, exclude=facet.name), self.selected[facet.name]
            )
            for facet in self.facets
        }

    def stored_counts(self):
        """The counts ``stored()`` reads (once), while nothing is chosen; else None.

        Counts kept ahead of time (by database triggers) describe only the whole list, so
        any chosen filter means counting the rows left, as ``options`` does.
        """
        if self.is_filtered or self._stored is None:
            return None
        if self._stored_counts is None:
            self._stored_counts = self._stored()
        return self._stored_counts

    def stored_options(self):
        """``options`` for the list with nothing chosen, from stored counts; else None."""
        counts = self.stored_counts()
        if counts is None:
            return None
        options = {facet.name: facet.bind_stored(counts) for facet in self.facets}
        return None if any(option is None for option in options.values()) else options

    def bind(self, options):
        return [BoundFacet(facet, options[facet.name]) for facet in self.facets]

    @property
    def cache_key(self):
        """What the options depend on: the chosen filters, in a stable order."""
        return urlencode(sorted(self.query_items(keep=False)))

    def query_items(self, *, without=None, keep=True):
        """The query string's chosen filters (and kept items such as the sort), less one pair."""
        items = [
            pair for facet in self.facets for pair in self.selected[facet.name] if pair != without
        ]
        if keep:
            items += [
                (name, value) for name in self.keep for value in self.params.getlist(name) if value
            ]
        return items

    def querystring(self, **kwargs):
        query = urlencode(self.query_items(**kwargs))
        return f"?{query}" if query else "?"

    def active_filters(self, bound_facets):
        """Every chosen value, with the link that removes just that one."""
        return [
            {
                "facet": bound.label,
                "label": bound.facet.describe(pair, bound.options),
                "remove_url": self.querystring(without=pair),
            }
            for bound in bound_facets
            for pair in self.selected[bound.name]
        ]

    @property
    def is_filtered(self):
        return any(self.selected.values())
