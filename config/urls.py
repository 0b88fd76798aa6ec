"""Root URLconf: it only includes the apps' URLconfs."""

from django.contrib import admin
from django.urls import include, path

from api.api import api

admin.site.site_header = "Uncommon Alliances curation"
admin.site.site_title = "Uncommon Alliances curation"
admin.site.index_title = "Curate themes, case studies and lessons"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("pages.urls")),
    path("", include("lessons.urls")),
    path("", include("alliances.urls")),
    path("", include("browse.urls")),
    path("", include("search.urls")),
    path("", include("submissions.urls")),
    path("", include("insights.urls")),
    path("", include("healthcheck.urls")),
    path("", include("follows.urls")),
    path("", include("signoff.urls")),
    path("", include("archive.urls")),
]
