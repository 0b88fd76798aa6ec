"""/search/: ranked full-text search over published lessons and case studies."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from core.breadcrumbs import breadcrumbs
from lessons.models import Experience, Theme
from search.query import KINDS, Search, SearchFilters

PAGE_SIZE = 20
QUERY_LENGTH = 200


def search(request):
    """Ranked full-text search over published lessons and case studies."""
    query = request.GET.get("q", "").strip()[:QUERY_LENGTH]
    themes = list(Theme.objects.all())
    theme = next((t for t in themes if t.slug == request.GET.get("theme")), None)
    kind = request.GET.get("kind") if request.GET.get("kind") in KINDS else ""
    experience = request.GET.get("experience", "")
    if experience not in Experience.values:
        experience = ""
    results = Search(
        query,
        SearchFilters(kind=kind, theme_id=theme.pk if theme else None, experience=experience),
    )
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page")) if results else None
    context = {
        "query": query,
        "results": results,
        "page_obj": page,
        "hits": page.object_list if page else [],
        "kind": kind,
        "theme": theme,
        "experience": experience,
        **breadcrumbs("Search"),
    }
    if results:
        kind_counts = results.kind_counts()
        theme_counts = results.theme_counts()
        experience_counts = results.experience_counts()
        context.update(
            kind_options=[(value, label, kind_counts[value]) for value, label in KINDS.items()],
            theme_options=[(t, theme_counts.get(t.pk, 0)) for t in themes],
            experience_options=[
                (value, label, experience_counts.get(value, 0))
                for value, label in Experience.choices
            ],
            page_query=_search_querystring(query, kind, theme, experience),
        )
    return render(request, "search/search.html", context)


def _search_querystring(query, kind, theme, experience):
    items = [("q", query)]
    if kind:
        items.append(("kind", kind))
    if theme:
        items.append(("theme", theme.slug))
    if experience:
        items.append(("experience", experience))
    return "?" + urlencode(items)
