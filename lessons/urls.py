from django.urls import path

from core.page_cache import cache_public_page
from lessons import views

app_name = "lessons"

urlpatterns = [
    path("themes/", cache_public_page(views.ThemeListView.as_view()), name="theme-list"),
    path(
        "themes/<slug:slug>/",
        cache_public_page(views.ThemeDetailView.as_view()),
        name="theme-detail",
    ),
    path(
        "lessons/<slug:slug>/",
        cache_public_page(views.LessonDetailView.as_view()),
        name="lesson-detail",
    ),
    path("lessons/<slug:slug>/helpful/", views.lesson_helpful, name="lesson-helpful"),
]
