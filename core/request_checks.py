"""Requests no page can answer, turned away before any view or query sees them.

A NUL character can be sent in an address (``%00``) but never typed into a form, and
PostgreSQL refuses it in any text it is given, SQLite's full-text syntax in a search:
read by hand or through a form, one would reach the database and fail the page. So an
address whose path holds one is not found (404), and a query string that holds one is a
bad request (400) that says why. Form fields need no help here: Django's own refuse a
NUL with a message next to the field.
"""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

NUL = "\x00"
NUL_IN_QUERY = (
    "The address holds a NUL character (%00) in its query string, which no page here "
    "accepts. Remove it and try again."
)


def has_nul(request: HttpRequest) -> bool:
    """Whether any name or value of the query string holds a NUL character."""
    return any(
        NUL in name or any(NUL in value for value in values) for name, values in request.GET.lists()
    )


class NulCharacterMiddleware:
    """404 for a NUL in the path, 400 with the reason for a NUL in the query string."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path_info:
            raise Http404("No page has an address with a NUL character in it.")
        if has_nul(request):
            if request.accepts("text/html"):
                return render(request, "400.html", {"reason": NUL_IN_QUERY}, status=400)
            return JsonResponse({"detail": NUL_IN_QUERY}, status=400)
        return self.get_response(request)
