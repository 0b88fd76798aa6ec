from django.urls import path

from alliances import views
from core.page_cache import cache_public_page

app_name = "alliances"

urlpatterns = [
    path(
        "partnerships/<slug:slug>/",
        cache_public_page(views.PartnershipDetailView.as_view()),
        name="partnership-detail",
    ),
    path(
        "organisations/<slug:slug>/",
        cache_public_page(views.OrganisationDetailView.as_view()),
        name="organisation-detail",
    ),
]
