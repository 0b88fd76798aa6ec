"""The policy headers Django's SecurityMiddleware does not send.

``Permissions-Policy`` turns off browser features the site never uses, so a script that
got in anyway could not reach the camera or the visitor's location either.
``Reporting-Endpoints`` names where the Reporting API delivers what the Content
Security Policy (sent by django-csp) blocks; the policy refers to it by name with
``report-to``.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.encoding import force_str


def permissions_policy(features_denied) -> str:
    """The header's value: each feature allowed to no origin, this site included."""
    return ", ".join(f"{feature}=()" for feature in features_denied)


def reporting_endpoints(endpoints) -> str:
    """The header's value: each endpoint's name and URL, as a structured-field dictionary."""
    return ", ".join(f'{name}="{force_str(url)}"' for name, url in endpoints.items())


class SecurityHeadersMiddleware:
    """Add Permissions-Policy and Reporting-Endpoints to every response that lacks them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY_DENIED:
            response.headers.setdefault(
                "Permissions-Policy", permissions_policy(settings.PERMISSIONS_POLICY_DENIED)
            )
        if settings.REPORTING_ENDPOINTS:
            response.headers.setdefault(
                "Reporting-Endpoints", reporting_endpoints(settings.REPORTING_ENDPOINTS)
            )
        return response
