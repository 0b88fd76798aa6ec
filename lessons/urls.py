from django.urls import path

from lessons import views

app_name = "lessons"

urlpatterns = [
    path("themes/", views.ThemeListView.as_view(), name="theme-list"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme-detail"),
    path("lessons/<slug:slug>/", views.LessonDetailView.as_view(), name="lesson-detail"),
    path("lessons/<slug:slug>/helpful/", views.lesson_helpful, name="lesson-helpful"),
]
