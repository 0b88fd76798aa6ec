from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.generic import TemplateView

from pages import csp_reports, feeds, views
from pages.sitemaps import SITEMAPS

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
    path("tags/suggest.json", views.tag_suggestions, name="tag-suggestions"),
    path("tags/<str:slug>/", views.tag_detail, name="tag-detail"),
    path("privacy/", views.privacy, name="privacy"),
    # What machines read: feeds, the sitemap and robots.txt.
    path("feeds/lessons/", feeds.LessonFeed(), name="lesson-feed"),
    path("feeds/themes/<slug:slug>/", feeds.ThemeLessonFeed(), name="theme-feed"),
    # Tag slugs follow the tag pages' converter.
    path("feeds/tags/<str:slug>/", feeds.TagLessonFeed(), name="tag-feed"),
    path("feeds/partnerships/", feeds.PartnershipFeed(), name="partnership-feed"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "pages:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    # Where browsers report what the Content Security Policy blocked.
    path("csp-report/", csp_reports.csp_report, name="csp-report"),
]
