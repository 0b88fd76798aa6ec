from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.generic import TemplateView
from taggit.models import Tag

from core.page_cache import cache_public_page
from core.renames import follows_renames
from lessons.models import Theme
from pages import csp_reports, feeds, views
from pages.sitemaps import SITEMAPS

app_name = "pages"

urlpatterns = [
    path("", cache_public_page(views.home), name="home"),
    path("tags/", cache_public_page(views.TagListView.as_view()), name="tag-list"),
    path("tags/suggest.json", cache_public_page(views.tag_suggestions), name="tag-suggestions"),
    path(
        "tags/<str:slug>/",
        cache_public_page(follows_renames(Tag)(views.tag_detail)),
        name="tag-detail",
    ),
    path("privacy/", cache_public_page(views.privacy), name="privacy"),
    # What machines read: feeds, the sitemap and robots.txt.
    path("feeds/lessons/", cache_public_page(feeds.LessonFeed()), name="lesson-feed"),
    path(
        "feeds/themes/<slug:slug>/",
        cache_public_page(follows_renames(Theme)(feeds.ThemeLessonFeed())),
        name="theme-feed",
    ),
    # Tag slugs follow the tag pages' converter.
    path(
        "feeds/tags/<str:slug>/",
        cache_public_page(follows_renames(Tag)(feeds.TagLessonFeed())),
        name="tag-feed",
    ),
    path(
        "feeds/partnerships/", cache_public_page(feeds.PartnershipFeed()), name="partnership-feed"
    ),
    path(
        "sitemap.xml",
        cache_public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "pages:sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cache_public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path(
        "robots.txt",
        cache_public_page(
            TemplateView.as_view(template_name="robots.txt", content_type="text/plain")
        ),
        name="robots",
    ),
    # Where browsers report what the Content Security Policy blocked.
    path("csp-report/", csp_reports.csp_report, name="csp-report"),
]
