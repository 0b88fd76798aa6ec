"""The themes and the lesson pages: the report's eight themes, one lesson, "this helped me"."""

from django.contrib import messages
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from core import page_cache
from core.breadcrumbs import breadcrumbs
from core.models import LimitedWrite
from core.ratelimit import RateLimited, client_address, rate_limited_response, rate_take
from core.related import related_items
from lessons import page_checks, services
from lessons.forms import ApplicationReportForm
from lessons.models import Lesson, TaggedLesson, Theme
from lessons.selectors import (
    application_notes,
    partnerships_with_lesson_on,
    site_counts,
    theme_lesson_total,
    themes_with_cached_counts,
)

RELATED_SHOWN = 4
THEME_LESSONS_SHOWN = 12
THEME_PARTNERSHIPS_SHOWN = 6
APPLIED_NOTES_SHOWN = 10


class ThemeListView(ListView):
    """The eight themes in the report's order, with their published lessons counted."""

    template_name = "lessons/theme_list.html"
    context_object_name = "theme_list"

    def get_queryset(self):
        return themes_with_cached_counts(site_counts())

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **breadcrumbs("Themes")}


class ThemeDetailView(DetailView):
    """A theme with the report's text, its quotes and its published lessons."""

    model = Theme

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        theme = self.object
        lessons = Lesson.objects.published().for_theme(theme)
        context["quotes"] = theme.quotes.select_related("source")
        # The latest few, and the way to all of them: a theme may hold thousands.
        context["lessons"] = lessons.for_cards().newest_first()[:THEME_LESSONS_SHOWN]
        context["lesson_total"] = theme_lesson_total(theme)
        context["all_lessons_url"] = f"{reverse('browse:lesson-list')}?theme={theme.slug}"
        context["partnerships"] = partnerships_with_lesson_on(theme).for_cards()[
            :THEME_PARTNERSHIPS_SHOWN
        ]
        context["all_partnerships_url"] = f"{reverse('browse:partnership-list')}?theme={theme.slug}"
        themes = list(Theme.objects.only("number", "title", "slug"))
        context["previous_theme"] = next(
            (t for t in reversed(themes) if t.number < theme.number), None
        )
        context["next_theme"] = next((t for t in themes if t.number > theme.number), None)
        context.update(breadcrumbs(("Themes", "lessons:theme-list"), theme.title))
        return context


class LessonDetailView(DetailView):
    """One published lesson in its four parts, with related lessons."""

    def get_queryset(self):
        return Lesson.objects.published().for_cards().for_credit()

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
            fallback=Lesson.objects.published().filter(Exists(on_same_theme)).newest_first(),
            limit=RELATED_SHOWN,
        )
        context["applied_notes"] = application_notes(lesson, limit=APPLIED_NOTES_SHOWN)
        context.setdefault("applied_form", ApplicationReportForm())
        trail = [("Lessons", "browse:lesson-list")]
        if themes:
            trail.append((themes[0].title, themes[0]))
        context.update(breadcrumbs(*trail, lesson.title))
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        lesson = self.object
        page_cache.depends_on(
            response, page_checks.HELPFUL_COUNT, lesson.pk, shown=lesson.helpful_count
        )
        return response


@require_POST
def lesson_helpful(request, slug):
    """ "This helped me": counted once per visitor (their address), limited per hour.

    The thank-you travels in the messages cookie: no session is made for a vote.
    """
    lesson = get_object_or_404(Lesson.objects.published(), slug=slug)
    try:
        counted = services.lesson_mark_helpful(lesson=lesson, address=client_address(request))
    except RateLimited as limited:
        return rate_limited_response(request, limited)
    if counted:
        messages.success(request, "Thank you — we counted that this lesson helped you.")
    else:
        messages.info(request, "You have already said this lesson helped you.")
    return redirect(f"{lesson.get_absolute_url()}#helpful")


def _applied_thanks(request, lesson, *, counted: bool):
    if counted:
        messages.success(
            request, "Thank you — your report is counted: it shows in this lesson's counts now."
        )
    else:
        messages.success(
            request,
            "Thank you — a curator will read your note; your report is counted, and the note "
            "shown, once they publish it.",
        )
    return redirect(f"{lesson.get_absolute_url()}#applied")


@require_POST
def lesson_applied(request, slug):
    """ "Did you apply this lesson?": a reader says how it went. No account; limited per
    address per hour. Bad input: the lesson page again, the message and the text kept."""
    lesson = get_object_or_404(Lesson.objects.published(), slug=slug)
    form = ApplicationReportForm(request.POST)
    address = client_address(request)
    try:
        if form.is_spam:
            # Thanked as if stored (a robot learns nothing), and limited all the same.
            with transaction.atomic():
                rate_take(kind=LimitedWrite.APPLIED, address=address)
            return _applied_thanks(request, lesson, counted=True)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in form.Meta.fields}
            report = services.lesson_report_applied(lesson=lesson, **data, address=address)
            return _applied_thanks(request, lesson, counted=report.is_published)
    except RateLimited as limited:
        return rate_limited_response(request, limited)
    page = LessonDetailView()
    page.setup(request, slug=slug)
    page.object = page.get_object()
    response = page.render_to_response(page.get_context_data(object=page.object, applied_form=form))
    response.status_code = 400
    return response
