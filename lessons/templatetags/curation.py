"""What the admin index shows curators first: the moderation queue."""

from django import template

from alliances.models import Partnership
from lessons.models import Lesson

register = template.Library()


@register.simple_tag
def pending_submissions():
    """How many lessons and case studies wait for review."""
    return {
        "lessons": Lesson.objects.pending().count(),
        "partnerships": Partnership.objects.pending().count(),
    }
