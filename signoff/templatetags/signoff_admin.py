"""The admin index's count of partners' answers waiting for a curator."""

from django import template

from signoff.selectors import signoffs_waiting

register = template.Library()


@register.simple_tag
def signoffs_waiting_count() -> int:
    return signoffs_waiting().count()
