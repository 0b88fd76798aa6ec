from django.urls import path, register_converter

from browse import exports, views
from core.page_cache import cache_public_page

app_name = "browse"

register_converter(exports.ExportFormatConverter, "export_format")

urlpatterns = [
    path(
        "partnerships/",
        cache_public_page(views.PartnershipListView.as_view()),
        name="partnership-list",
    ),
    path(
        "partnerships/export.<export_format:format>",
        exports.PartnershipExportView.as_view(),
        name="partnership-export",
    ),
    path("lessons/", cache_public_page(views.LessonListView.as_view()), name="lesson-list"),
    path(
        "lessons/export.<export_format:format>",
        exports.LessonExportView.as_view(),
        name="lesson-export",
    ),
]
