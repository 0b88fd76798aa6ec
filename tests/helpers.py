"""Small helpers the test modules share: a page's head, its queries, search hits, admin actions."""

from html.parser import HTMLParser

from django.contrib.admin import helpers
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.query import Search, SearchFilters

# The address the test client's pages are served from.
SITE = "http://testserver"


class HeadReader(HTMLParser):
    """The <meta> and <link> tags of a page's head, attributes decoded."""

    def __init__(self):
        super().__init__()
        self.meta = {}
        self.links = []
        self.in_head = True

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self.in_head = False
        elif self.in_head and tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            if key:
                self.meta[key] = attrs.get("content")
        elif self.in_head and tag == "link":
            self.links.append(attrs)


def read_head(client, url):
    """The page's head tags and its whole text; the page must answer 200."""
    response = client.get(url)
    assert response.status_code == 200
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader, response.content.decode()


def page_queries(client, url, params=None):
    """How many queries the page costs; it must answer 200."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def found(query, **filters):
    """Titles (or names) of every search hit, best first."""
    results = Search(query, SearchFilters(**filters))
    return [getattr(hit.object, "title", None) or hit.object.name for hit in results[0:100]]


def run_admin_action(client, url, action, objects, **extra):
    """Post an admin changelist's bulk action on `objects`, following the redirect."""
    return client.post(
        url,
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [obj.pk for obj in objects], **extra},
        follow=True,
    )


def admin_answers_to_visitor_and_member(client, django_user_model, url):
    """The admin's answers to `url` for an anonymous visitor, then a logged-in non-staff user."""
    anonymous = client.get(url)
    member = django_user_model.objects.create_user("visitor", "v@example.org", "pw-visitor-1")
    client.force_login(member)
    return anonymous, client.get(url)


def rename(item, slug):
    """Give an item a new slug, saved as any edit saves it."""
    item.slug = slug
    item.save()
    return item
