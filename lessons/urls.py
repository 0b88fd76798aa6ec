from django.urls import path, register_converter

from lessons import exports, views

app_name = "lessons"

register_converter(exports.ExportFormatConverter, "export_format")

urlpatterns = [
    path("", views.home, name="home"),
    path("themes/", views.ThemeListView.as_view(), name="theme-list"),
    path("themes/<slug:slug>/", views.ThemeDetailView.as_view(), name="theme-detail"),
    # The case-study list is browsed by theme through lessons, so it lives here.
    path("partnerships/", views.PartnershipListView.as_view(), name="partnership-list"),
    path(
        "partnerships/export.<export_format:format>",
        exports.PartnershipExportView.as_view(),
        name="partnership-export",
    ),
    path("lessons/", views.LessonListView.as_view(), name="lesson-list"),
    path(
        "lessons/export.<export_format:format>",
        exports.LessonExportView.as_view(),
        name="lesson-export",
    ),
    path("lessons/<slug:slug>/", views.LessonDetailView.as_view(), name="lesson-detail"),
    path("lessons/<slug:slug>/helpful/", views.lesson_helpful, name="lesson-helpful"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("tags/suggest.json", views.tag_suggestions, name="tag-suggestions"),
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
    path("search/", views.search, name="search"),
    path("insights/", views.insights_view, name="insights"),
    path("health-check/", views.health_check_view, name="health-check"),
    path("health-check/<str:token>/", views.health_check_result, name="health-check-result"),
    path("submit/lesson/", views.lesson_submit_view, name="lesson-submit"),
    path("submit/thanks/", views.submission_thanks, name="submission-thanks"),
    path("submissions/<str:token>/", views.submission_status, name="submission-status"),
]
