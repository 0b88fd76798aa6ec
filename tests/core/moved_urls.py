"""A URLconf that serves the site under /moved/, for tests/core/test_slug_url.py."""

from django.urls import include, path

urlpatterns = [path("moved/", include("config.urls"))]
