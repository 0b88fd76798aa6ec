"""The faceted lists of lessons and of case studies: one view each over one base."""

from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import ListView
from taggit.models import Tag

from alliances.models import Partnership
from browse import facets
from core import caching, page_cache, renames
from core.breadcrumbs import breadcrumbs
from lessons import public_counts as scopes
from lessons.models import MOST_HELPFUL, Lesson, Theme

PAGE_SIZE = 20


class FacetedListView(ListView):
    """A list narrowed by facets in the query string, sorted and paginated."""

    template_name = ""
    paginate_by = PAGE_SIZE
    sorts: dict = {}
    title = ""
    noun = ""
    noun_plural = ""
    share_label = ""
    share_url_name = ""
    export_url_name = ""
    total_scope = ""  # the counter that holds how many the whole list has
    follow_kind = ""  # what follows/ calls a subscription to this list
    # Facets chosen by slug: a shared link with an old one redirects to the current one.
    renamed_parameters = {"theme": Theme, "tag": Tag}

    def facet_set(self):
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        moved = renames.redirect_renamed_values(request, self.renamed_parameters)
        return moved or super().get(request, *args, **kwargs)

    def base_queryset(self):
        raise NotImplementedError

    def sorted(self, queryset, key):
        return queryset.order_by(*self.sorts[key][1])

    def get_queryset(self):
        self.facets = self.facet_set()
        self.base = self.base_queryset()
        self.sort = self.request.GET.get("sort")
        if self.sort not in self.sorts:
            self.sort = next(iter(self.sorts))
        return self.sorted(self.facets.filter(self.base, page=True), self.sort)

    @cached_property
    def options(self):
        """Each facet's options with their counts: with nothing chosen (the entry view) read
        from the counters the database keeps; a filtered list counted, cached for the
        content version."""
        options = self.facets.stored_options()
        if options is not None:
            return options
        return caching.cached(
            f"facets:{type(self).__name__}",
            self.facets.cache_key,
            lambda: self.facets.options(self.base),
            version=caching.content_version(),
        )

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        counts = self.facets.stored_counts()
        if counts is not None:
            # Nothing chosen: the whole list, counted already; spare the paginator its COUNT.
            paginator.count = counts[self.total_scope].get("", 0)
            return paginator
        # The facet counts on the page often say how many rows match; otherwise count
        # them in the shape made for counting, not the sorted page's.
        total = self.facets.total(self.options)
        paginator.count = self.facets.filter(self.base).count() if total is None else total
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        bound = self.facets.bind(self.options)
        context.update(
            facets=bound,
            active_filters=self.facets.active_filters(bound),
            is_filtered=self.facets.is_filtered,
            sorts=[(key, label) for key, (label, _) in self.sorts.items()],
            sort=self.sort,
            page_query=self.facets.querystring(),
            clear_url=self.request.path,
            title=self.title,
            noun=self.noun,
            noun_plural=self.noun_plural,
            share_label=self.share_label,
            share_url=reverse(self.share_url_name),
            export_url_name=self.export_url_name,
            # Follow by email (follows/): the list is followed by its chosen filters.
            follow_kind=self.follow_kind,
            follow_query=self.facets.cache_key,
            follow_label=f"new {self.noun_plural} "
            + ("matching these filters" if self.facets.is_filtered else "in this list"),
            **breadcrumbs(self.title),
        )
        return context


class PartnershipListView(FacetedListView):
    """Case studies, narrowed by sector, region, status, outcome, theme, tag and years."""

    template_name = "browse/partnership_list.html"
    sorts = facets.PARTNERSHIP_SORTS
    title = "Case studies"
    noun, noun_plural = "case study", "case studies"
    share_label, share_url_name = "Share a case study", "submissions:partnership-submit"
    export_url_name = "browse:partnership-export"
    total_scope = scopes.PARTNERSHIPS
    follow_kind = "partnerships"

    def facet_set(self):
        return facets.partnership_facets(self.request.GET)

    def base_queryset(self):
        return Partnership.objects.published()

    def sorted(self, queryset, key):
        # Counting lessons means grouping every matching case study: only for that sort.
        if key == "lessons":
            queryset = facets.with_lesson_totals(queryset)
        return super().sorted(queryset.for_cards(), key)


class LessonListView(FacetedListView):
    """Lessons, narrowed by theme, worked or went wrong, sector and tag."""

    template_name = "browse/lesson_list.html"
    sorts = facets.LESSON_SORTS
    title = "Lessons learned"
    noun, noun_plural = "lesson", "lessons"
    share_label, share_url_name = "Share a lesson", "submissions:lesson-submit"
    export_url_name = "browse:lesson-export"
    total_scope = scopes.LESSONS
    follow_kind = "lessons"

    def facet_set(self):
        return facets.lesson_facets(self.request.GET)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.sorts[self.sort][1] == MOST_HELPFUL:
            # Votes reorder it without moving the content version: always sorted afresh.
            page_cache.do_not_store(response)
        return response

    def base_queryset(self):
        return Lesson.objects.published()

    def sorted(self, queryset, key):
        return super().sorted(queryset.for_cards(), key)
