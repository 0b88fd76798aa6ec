"""Public pages that cross both apps: home, themes, lessons, browsing, tags and search."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView
from taggit.models import Tag

from alliances.models import Organisation, Partnership
from alliances.moderation import ModerationStatus
from alliances.related import related_items
from alliances.services import SubmissionRateLimited
from alliances.views import client_address, rate_limited, remember_submission
from lessons import browse, caching, healthcheck, services
from lessons.forms import LessonSubmissionForm
from lessons.healthcheck_forms import HealthCheckForm
from lessons.insights import counts, insights
from lessons.models import Experience, HealthCheck, Lesson, TaggedLesson, Theme
from lessons.search import KINDS, Search, SearchFilters

PUBLISHED_LESSONS = Q(lessons__moderation_status=ModerationStatus.PUBLISHED)
PAGE_SIZE = 20
RELATED_SHOWN = 4
THEME_LESSONS_SHOWN = 12


def site_counts(version):
    """Published lessons per theme and the home page's totals, cached per content version."""

    def compute():
        themes = Theme.objects.annotate(total=Count("lessons", filter=PUBLISHED_LESSONS))
        return {
            "themes": {theme.pk: theme.total for theme in themes},
            "lessons": Lesson.objects.published().count(),
            "partnerships": Partnership.objects.published().count(),
            "organisations": Organisation.objects.with_published_partnerships().count(),
        }

    return caching.cached("site-counts", "", compute, version=version)


def themes_with_lesson_counts(counts):
    """The eight themes, each with the number of its published lessons."""
    themes = list(Theme.objects.all())
    for theme in themes:
        theme.lesson_count = counts["themes"].get(theme.pk, 0)
    return themes


def home(request):
    counts = site_counts(caching.content_version())
    context = {
        "themes": themes_with_lesson_counts(counts),
        "latest_lessons": Lesson.objects.published().for_cards().latest()[:6],
        "featured_partnerships": Partnership.objects.published().featured().for_cards()[:3],
        "lesson_total": counts["lessons"],
        "partnership_total": counts["partnerships"],
        "organisation_total": counts["organisations"],
    }
    return render(request, "lessons/home.html", context)


class ThemeListView(ListView):
    """The eight themes in the report's order, with their published lessons counted."""

    template_name = "lessons/theme_list.html"
    context_object_name = "theme_list"

    def get_queryset(self):
        return themes_with_lesson_counts(site_counts(caching.content_version()))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumb_trail"] = [("Themes", None)]
        return context


class ThemeDetailView(DetailView):
    """A theme with the report's text, its quotes and its published lessons."""

    model = Theme

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme = self.object
        lessons = Lesson.objects.published().for_theme(theme)
        context["quotes"] = theme.quotes.select_related("source")
        # The latest few, and the way to all of them: a theme may hold thousands.
        context["lessons"] = lessons.for_cards().latest()[:THEME_LESSONS_SHOWN]
        context["lesson_total"] = caching.cached(
            "theme-lesson-count", theme.pk, lessons.count, version=caching.content_version()
        )
        context["all_lessons_url"] = f"{reverse('lessons:lesson-list')}?theme={theme.slug}"
        # Newest case studies first, each checked for a lesson on the theme, so the
        # query stops after six instead of collecting every lesson's case study.
        has_lesson_on_theme = lessons.filter(partnership=OuterRef("pk"))
        context["partnerships"] = (
            Partnership.objects.published()
            .filter(Exists(has_lesson_on_theme))
            .order_by("-published_at", "-pk")
            .for_cards()[:6]
        )
        context["all_partnerships_url"] = (
            f"{reverse('lessons:partnership-list')}?theme={theme.slug}"
        )
        themes = list(Theme.objects.only("number", "title", "slug"))
        context["previous_theme"] = next(
            (t for t in reversed(themes) if t.number < theme.number), None
        )
        context["next_theme"] = next((t for t in themes if t.number > theme.number), None)
        context["breadcrumb_trail"] = [
            ("Themes", reverse("lessons:theme-list")),
            (theme.title, None),
        ]
        return context


class FacetedListView(ListView):
    """A list narrowed by facets in the query string, sorted and paginated."""

    paginate_by = PAGE_SIZE
    sorts = {}
    title = ""

    def facet_set(self):
        raise NotImplementedError

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
        return self.sorted(self.facets.filter(self.base), self.sort)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        options = caching.cached(
            f"facets:{type(self).__name__}",
            self.facets.cache_key,
            lambda: self.facets.options(self.base),
            version=caching.content_version(),
        )
        bound = self.facets.bind(options)
        context.update(
            facets=bound,
            active_filters=self.facets.active_filters(bound),
            is_filtered=self.facets.is_filtered,
            sorts=[(key, label) for key, (label, _) in self.sorts.items()],
            sort=self.sort,
            page_query=self.facets.querystring(),
            clear_url=self.request.path,
            breadcrumb_trail=[(self.title, None)],
        )
        return context


class PartnershipListView(FacetedListView):
    """Case studies, narrowed by sector, region, status, outcome, theme, tag and years."""

    template_name = "alliances/partnership_list.html"
    sorts = browse.PARTNERSHIP_SORTS
    title = "Case studies"

    def facet_set(self):
        return browse.partnership_facets(self.request.GET)

    def base_queryset(self):
        return Partnership.objects.published()

    def sorted(self, queryset, key):
        # Counting lessons means grouping every matching case study: only for that sort.
        if key == "lessons":
            queryset = browse.with_lesson_totals(queryset)
        return super().sorted(queryset.for_cards(), key)


class LessonListView(FacetedListView):
    """Lessons, narrowed by theme, worked or went wrong, sector and tag."""

    sorts = browse.LESSON_SORTS
    title = "Lessons learned"

    def facet_set(self):
        return browse.lesson_facets(self.request.GET)

    def base_queryset(self):
        return Lesson.objects.published()

    def sorted(self, queryset, key):
        return super().sorted(queryset.for_cards(), key)


class LessonDetailView(DetailView):
    """One published lesson in its four parts, with related lessons."""

    def get_queryset(self):
        return Lesson.objects.published().for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lesson = self.object
        themes = list(lesson.themes.all())
        on_same_theme = Lesson.themes.through.objects.filter(
            lesson=OuterRef("pk"), theme__in=[theme.pk for theme in themes]
        )
        context["related_lessons"] = related_items(
            lesson,
            through=TaggedLesson,
            published=Lesson.objects.published().for_cards(),
            fallback=Lesson.objects.published().filter(Exists(on_same_theme)).latest(),
            limit=RELATED_SHOWN,
        )
        trail = [("Lessons", reverse("lessons:lesson-list"))]
        if themes:
            trail.append((themes[0].title, themes[0].get_absolute_url()))
        context["breadcrumb_trail"] = [*trail, (lesson.title, None)]
        return context


class TagListView(ListView):
    """Every tag on published content, with its counts."""

    template_name = "lessons/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        return caching.cached(
            "tag-index",
            "",
            lambda: list(browse.published_tags()),
            version=caching.content_version(),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumb_trail"] = [("Tags", None)]
        return context


# Above this many lessons a tag is common: its newest lessons are found faster by walking
# all published lessons newest first than by sorting every lesson that carries it.
COMMON_TAG_LESSONS = 2000


def tag_detail(request, slug):
    """What carries one tag: its published lessons (paginated) and case studies."""
    tag = get_object_or_404(Tag, slug=slug)
    version = caching.content_version()
    tagged = Lesson.objects.published().filter(tags=tag)
    totals = caching.cached(
        "tag-totals",
        tag.pk,
        lambda: {
            "lessons": tagged.count(),
            "partnerships": Partnership.objects.published().filter(tags=tag).count(),
        },
        version=version,
    )
    if not totals["lessons"] and not totals["partnerships"]:
        raise Http404("No published content carries this tag.")
    if totals["lessons"] > COMMON_TAG_LESSONS:
        carries_tag = TaggedLesson.objects.filter(tag=tag, content_object=OuterRef("pk"))
        tagged = Lesson.objects.published().filter(Exists(carries_tag))
    paginator = Paginator(tagged.for_cards().latest(), PAGE_SIZE)
    paginator.count = totals["lessons"]  # known already: spare the paginator its COUNT
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "tag": tag,
        "page_obj": page,
        "lessons": page.object_list,
        "partnerships": Partnership.objects.published()
        .filter(tags=tag)
        .for_cards()
        .order_by("name")[:12],
        "partnership_total": totals["partnerships"],
        "breadcrumb_trail": [("Tags", reverse("lessons:tag-list")), (tag.name, None)],
    }
    return render(request, "lessons/tag_detail.html", context)


def search(request):
    """Ranked full-text search over published lessons and case studies."""
    query = request.GET.get("q", "").strip()[:200]
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
        "breadcrumb_trail": [("Search", None)],
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
    return render(request, "lessons/search.html", context)


def _search_querystring(query, kind, theme, experience):
    items = [("q", query)]
    if kind:
        items.append(("kind", kind))
    if theme:
        items.append(("theme", theme.slug))
    if experience:
        items.append(("experience", experience))
    return "?" + urlencode(items)


def lesson_submit_view(request):
    """/submit/lesson/: a visitor shares a lesson, no account needed."""
    form = LessonSubmissionForm(request.POST or None)
    if request.method == "POST":
        if form.is_spam:
            return remember_submission(request, None)
        if form.is_valid():
            try:
                lesson = services.lesson_submit(
                    data=form.model_data(),
                    themes=form.cleaned_data["themes"],
                    tags=form.cleaned_data["tags"],
                    address=client_address(request),
                )
            except SubmissionRateLimited:
                return rate_limited(request)
            return remember_submission(request, lesson)
    context = {
        "form": form,
        "popular_tags": browse.published_tags().order_by("-total", "name")[:12],
        "breadcrumb_trail": [
            ("Lessons", reverse("lessons:lesson-list")),
            ("Share a lesson", None),
        ],
    }
    return render(
        request,
        "lessons/lesson_submit.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def submission_thanks(request):
    """After a submission: what happens next, and the private status link."""
    token = request.session.get("submission_token")
    if token is None:
        return redirect("lessons:home")
    return render(
        request,
        "lessons/submission_thanks.html",
        {"status_url": reverse("lessons:submission-status", args=[token]) if token else ""},
    )


def submission_status(request, token):
    """The contributor's private page: the status of their submission, and nothing else."""
    item = (
        Lesson.objects.filter(status_token=token).first()
        or Partnership.objects.filter(status_token=token).first()
    )
    if item is None:
        raise Http404("No submission has this link.")
    response = render(
        request,
        "lessons/submission_status.html",
        {"item": item, "kind": "lesson" if isinstance(item, Lesson) else "case study"},
    )
    # A private link: keep it out of caches and search engines.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_POST
def lesson_helpful(request, slug):
    """ "This helped me": counted once per visitor session."""
    lesson = get_object_or_404(Lesson.objects.published(), slug=slug)
    if services.lesson_mark_helpful(lesson=lesson, session=request.session):
        messages.success(request, "Thank you — we counted that this lesson helped you.")
    else:
        messages.info(request, "You have already said this lesson helped you.")
    return redirect(f"{lesson.get_absolute_url()}#helpful")


def tag_suggestions(request):
    """Tag names in use on published content that contain what was typed, most used first."""
    typed = request.GET.get("q", "").strip()[:50]
    tags = browse.published_tags()
    if typed:
        tags = tags.filter(name__icontains=typed).order_by("-total", "name")
    else:
        tags = tags.order_by("-total", "name")
    return JsonResponse({"tags": [tag.name for tag in tags[:10]]})


def insights_view(request):
    """/insights/: the published content counted and drawn as charts, with their data."""
    context = insights(counts())
    context["breadcrumb_trail"] = [("Insights", None)]
    return render(request, "lessons/insights.html", context)


def health_check_view(request):
    """/health-check/: the themes' guiding questions, each answered green, amber or red."""
    themes = list(Theme.objects.all())
    initial = {"compare": request.GET.get("compare", "")[:300]}
    form = HealthCheckForm(request.POST or None, themes=themes, initial=initial)
    if request.method == "POST" and form.is_valid():
        answers = form.answers()
        check = healthcheck.health_check_create(
            answers=answers,
            scores=healthcheck.theme_scores(form.question_keys, answers),
            compared_with=form.cleaned_data["compare"],
        )
        return redirect(check)
    context = {
        "form": form,
        "answers": healthcheck.Answer,
        "breadcrumb_trail": [("Health check", None)],
    }
    return render(
        request,
        "lessons/healthcheck_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def health_check_result(request, token):
    """The private result of one check: scores, weakest themes, what to read, what changed."""
    check = get_object_or_404(HealthCheck.objects.select_related("compared_with"), token=token)
    themes = list(Theme.objects.all())
    scores = check.scores
    earlier = check.compared_with
    context = {
        "check": check,
        "chart": healthcheck.score_chart(scores, themes),
        "overall": healthcheck.overall_score(scores),
        "weakest": [
            healthcheck.recommendations(theme, scores[theme.slug])
            for theme in healthcheck.weakest_themes(scores, themes)
        ],
        "earlier": earlier,
        "changes": healthcheck.changes(earlier.scores, scores, themes) if earlier else [],
        "result_url": request.build_absolute_uri(check.get_absolute_url()),
        "compare_url": f"{reverse('lessons:health-check')}?{urlencode({'compare': check.token})}",
        "breadcrumb_trail": [
            ("Health check", reverse("lessons:health-check")),
            ("Your result", None),
        ],
    }
    response = render(request, "lessons/healthcheck_result.html", context)
    # A private link: keep it out of caches and search engines.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
