from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from django.views.generic import DetailView, ListView

from alliances.models import Organisation, Partnership
from alliances.moderation import ModerationStatus
from lessons.models import Lesson, Theme

PUBLISHED_LESSONS = Q(lessons__moderation_status=ModerationStatus.PUBLISHED)


def themes_with_lesson_counts():
    """The eight themes, each with the number of its published lessons."""
    return Theme.objects.annotate(lesson_count=Count("lessons", filter=PUBLISHED_LESSONS))


def home(request):
    published_partnerships = Partnership.objects.published()
    context = {
        "themes": themes_with_lesson_counts(),
        "latest_lessons": Lesson.objects.published().for_cards().latest()[:6],
        "featured_partnerships": published_partnerships.featured().for_cards()[:3],
        "lesson_total": Lesson.objects.published().count(),
        "partnership_total": published_partnerships.count(),
        "organisation_total": Organisation.objects.filter(partnerships__in=published_partnerships)
        .distinct()
        .count(),
    }
    return render(request, "lessons/home.html", context)


class ThemeListView(ListView):
    """The eight themes in the report's order."""

    def get_queryset(self):
        return themes_with_lesson_counts()

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
        context["lessons"] = lessons.for_cards().latest()
        context["partnerships"] = (
            Partnership.objects.published().filter(lessons__in=lessons).distinct().for_cards()[:6]
        )
        context["previous_theme"] = Theme.objects.filter(number__lt=theme.number).last()
        context["next_theme"] = Theme.objects.filter(number__gt=theme.number).first()
        context["breadcrumb_trail"] = [
            ("Themes", reverse("lessons:theme-list")),
            (theme.title, None),
        ]
        return context


class LessonDetailView(DetailView):
    """One published lesson in its four parts."""

    def get_queryset(self):
        return Lesson.objects.published().for_cards()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        first_theme = self.object.themes.all()[0] if self.object.themes.all() else None
        trail = [("Themes", reverse("lessons:theme-list"))]
        if first_theme:
            trail.append((first_theme.title, first_theme.get_absolute_url()))
        context["breadcrumb_trail"] = [*trail, (self.object.title, None)]
        return context
