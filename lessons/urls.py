from django.urls import path

from core.page_cache import cache_public_page
from core.renames import follows_renames
from lessons import views
from lessons.models import Lesson, Theme

app_name = "lessons"

urlpatterns = [
    path("themes/", cache_public_page(views.ThemeListView.as_view()), name="theme-list"),
    path(
        "themes/<slug:slug>/",
        cache_public_page(follows_renames(Theme)(views.ThemeDetailView.as_view())),
        name="theme-detail",
    ),
    path(
        "lessons/<slug:slug>/",
        cache_public_page(follows_renames(Lesson)(views.LessonDetailView.as_view())),
        name="lesson-detail",
    ),
    # A vote sent to an old address follows it (308: the POST is sent again, not dropped).
    path(
        "lessons/<slug:slug>/helpful/",
        follows_renames(Lesson)(views.lesson_helpful),
        name="lesson-helpful",
    ),
    path(
        "lessons/<slug:slug>/applied/",
        follows_renames(Lesson)(views.lesson_applied),
        name="lesson-applied",
    ),
]
