"""Site-wide pages: the home page, the tags across both kinds, and what the site keeps about
its visitors."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.generic import ListView
from taggit.models import Tag

from alliances.models import Partnership
from alliances.selectors import tagged_partnerships
from core.breadcrumbs import breadcrumbs
from lessons.models import Lesson
from lessons.selectors import (
    most_used_tags,
    site_counts,
    tag_totals,
    tagged_lessons,
    tags_in_use,
    themes_with_cached_counts,
)

PAGE_SIZE = 20
LATEST_LESSONS_SHOWN = 6
FEATURED_SHOWN = 3
TAG_PARTNERSHIPS_SHOWN = 12
TAG_SUGGESTIONS = 10


def home(request):
    counts = site_counts()
    context = {
        "themes": themes_with_cached_counts(counts),
        "latest_lessons": Lesson.objects.published()
        .for_cards()
        .newest_first()[:LATEST_LESSONS_SHOWN],
        "featured_partnerships": Partnership.objects.published()
        .featured()
        .for_cards()[:FEATURED_SHOWN],
        "lesson_total": counts["lessons"],
        "partnership_total": counts["partnerships"],
        "organisation_total": counts["organisations"],
    }
    return render(request, "pages/home.html", context)


class TagListView(ListView):
    """Every tag on published content, with its counts."""

    template_name = "pages/tag_list.html"
    context_object_name = "tags"

    def get_queryset(self):
        return tags_in_use()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **breadcrumbs("Tags")}


def tag_detail(request, slug):
    """What carries one tag: its published lessons (paginated) and case studies."""
    tag = get_object_or_404(Tag, slug=slug)
    totals = tag_totals(tag)
    if not totals["lessons"] and not totals["partnerships"]:
        raise Http404("No published content carries this tag.")
    lessons = tagged_lessons(tag, total=totals["lessons"]).for_cards().newest_first()
    paginator = Paginator(lessons, PAGE_SIZE)
    paginator.count = totals["lessons"]  # known already: spare the paginator its COUNT
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "tag": tag,
        "page_obj": page,
        "lessons": page.object_list,
        "partnerships": tagged_partnerships(tag, total=totals["partnerships"]).for_cards()[
            :TAG_PARTNERSHIPS_SHOWN
        ],
        "partnership_total": totals["partnerships"],
        **breadcrumbs(("Tags", "pages:tag-list"), tag.name),
    }
    return render(request, "pages/tag_detail.html", context)


def tag_suggestions(request):
    """Tag names in use on published content that contain what was typed, most used first."""
    typed = request.GET.get("q", "").strip()[:50]
    tags = most_used_tags(TAG_SUGGESTIONS, containing=typed)
    return JsonResponse({"tags": [tag.name for tag in tags]})


def privacy(request):
    """What personal data the site keeps and why, for how long, who sees it, how to erase it."""
    context = {
        "rate_records_kept_hours": settings.RATE_RECORDS_KEPT_HOURS,
        "deleted_kept_days": settings.HISTORY_DELETED_KEPT_DAYS,
        "submissions_per_hour": settings.SUBMISSIONS_PER_HOUR,
        "health_checks_per_hour": settings.HEALTH_CHECKS_PER_HOUR,
        "votes_per_hour": settings.VOTES_PER_HOUR,
        "applied_reports_per_hour": settings.APPLIED_REPORTS_PER_HOUR,
        "follows_per_hour": settings.FOLLOWS_PER_HOUR,
        "follows_per_address_per_hour": settings.FOLLOWS_PER_ADDRESS_PER_HOUR,
        "follow_confirm_hours": settings.FOLLOW_CONFIRM_HOURS,
        "signoff_link_days": settings.SIGNOFF_LINK_DAYS,
        "signoffs_per_hour": settings.SIGNOFFS_PER_HOUR,
        "login_failure_limit": settings.LOGIN_FAILURE_LIMIT,
        "login_cooloff_minutes": settings.LOGIN_COOLOFF_MINUTES,
        "session_days": settings.SESSION_COOKIE_AGE // (24 * 60 * 60),
        "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        **breadcrumbs("Privacy"),
    }
    return render(request, "pages/privacy.html", context)
