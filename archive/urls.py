from django.urls import path

from archive import views

app_name = "archive"

urlpatterns = [
    path("archive/", views.archive, name="archive"),
    path(
        "archive/uncommon-alliances-<int:version>.zip",
        views.archive_download,
        name="archive-download",
    ),
]
