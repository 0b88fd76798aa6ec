from django.urls import path, register_converter

from browse import exports, views

app_name = "browse"

register_converter(exports.ExportFormatConverter, "export_format")

urlpatterns = [
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
]
