from django.urls import path

from alliances import views
from alliances.models import Organisation, Partnership
from core.page_cache import cache_public_page
from core.renames import follows_renames

app_name = "alliances"

urlpatterns = [
    path(
        "partnerships/<slug:slug>/",
        cache_public_page(follows_renames(Partnership)(views.PartnershipDetailView.as_view())),
        name="partnership-detail",
    ),
    path(
        "organisations/<slug:slug>/",
        cache_public_page(follows_renames(Organisation)(views.OrganisationDetailView.as_view())),
        name="organisation-detail",
    ),
]
