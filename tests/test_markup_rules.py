"""Rules every page's HTML keeps, read from the HTML itself on every page type and the admin.

- Nothing inline that the Content Security Policy would block: no script without a
  ``src`` (JSON data blocks are data, not scripts), no ``<style>`` element, no
  ``style`` or ``on…`` attribute, no ``javascript:`` URL. Each would be refused by the
  browser, and the feature behind it would quietly stop working.
- No live region, alert or other element whose role makes it flow content inside a
  heading or other element that holds phrasing content only (the W3C checker's rule
  since ARIA in HTML said so; the search page's result count broke it).

The browser test (tests/browser/test_content_security_policy.py) shows the same pages
work under the policy; this one names the template line at fault, fast.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.browser.site_content import PAGE_TYPES, build_site_content
from tests.test_markup import pages_reached_by_posting

VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# Script types a browser runs; any other type (application/json ...) is a data block.
SCRIPT_TYPES = {"", "module", "text/javascript", "application/javascript", "text/ecmascript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}
# Roles that make an element flow content (ARIA in HTML), and elements that hold
# phrasing content only.
FLOW_ROLES = {
    "alert",
    "alertdialog",
    "application",
    "dialog",
    "document",
    "listbox",
    "log",
    "marquee",
    "math",
    "note",
    "status",
    "tabpanel",
    "timer",
    "toolbar",
}
PHRASING_ONLY = {"h1", "h2", "h3", "h4", "h5", "h6", "p", "span", "label", "button", "legend"}


class MarkupRules(HTMLParser):
    """Collects each break of the rules above, with its line and the open elements."""

    def __init__(self):
        super().__init__()
        self.open = []
        self.broken = []
        self._script_open = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        where = f"line {self.getpos()[0]}: <{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)}>"
        if tag == "script" and "src" not in attributes:
            kind = (attributes.get("type") or "").strip().lower()
            if kind in SCRIPT_TYPES:
                self.broken.append(f"inline script at {where}")
        if tag == "style":
            self.broken.append(f"<style> element at {where}")
        for name, value in attrs:
            if name == "style":
                self.broken.append(f"style attribute at {where}")
            elif name.startswith("on"):
                self.broken.append(f"event handler attribute at {where}")
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.broken.append(f"javascript: URL at {where}")
        role = (attributes.get("role") or "").split()
        if role and role[0] in FLOW_ROLES:
            inside = [name for name in self.open if name in PHRASING_ONLY]
            if inside:
                self.broken.append(f"role={role[0]} inside <{inside[-1]}> at {where}")
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.open.pop()

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass


def rules_broken(html):
    parser = MarkupRules()
    parser.feed(html)
    parser.close()
    return parser.broken


def test_the_rules_catch_what_they_name():
    html = """<h2><span role="status">3 results</span></h2>
    <p style="padding: 1px" onclick="go()"><a href="JavaScript:go()">go</a></p>
    <script>go()</script><style>p {}</style>
    <script type="application/json" id="data">{}</script><script src="/static/a.js"></script>
    <div role="status"><h2>3 results</h2></div><p role="status">3 results</p>"""

    broken = rules_broken(html)

    assert [problem.split(" at ")[0] for problem in broken] == [
        "role=status inside <h2>",
        "style attribute",
        "event handler attribute",
        "javascript: URL",
        "inline script",
        "<style> element",
    ]


@pytest.fixture
def curator(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return django_user_model.objects.create_superuser("curator", "c@example.org", "pw")


def admin_pages(client, site, curator):
    """(name, response) for the admin pages a curator uses."""
    lesson, partnership = site.lesson, site.partnership
    yield "admin-login", client.get(reverse("admin:login"))
    client.force_login(curator)
    for name, url in [
        ("admin-index", reverse("admin:index")),
        ("admin-lesson-list", reverse("admin:lessons_lesson_changelist")),
        ("admin-lesson-add", reverse("admin:lessons_lesson_add")),
        ("admin-lesson-change", reverse("admin:lessons_lesson_change", args=[lesson.pk])),
        ("admin-lesson-history", reverse("admin:lessons_lesson_history", args=[lesson.pk])),
        ("admin-lesson-delete", reverse("admin:lessons_lesson_delete", args=[lesson.pk])),
        ("admin-source-add", reverse("admin:lessons_source_add")),
        ("admin-tag-list", reverse("admin:taggit_tag_changelist")),
        ("admin-health-checks", reverse("admin:healthcheck_healthcheck_changelist")),
        (
            "admin-partnership-change",
            reverse("admin:alliances_partnership_change", args=[partnership.pk]),
        ),
        ("admin-user-add", reverse("admin:auth_user_add")),
        ("admin-password-change", reverse("admin:password_change")),
    ]:
        yield name, client.get(url)
    yield (
        "admin-reject-with-a-reason",
        client.post(
            reverse("admin:lessons_lesson_changelist"),
            {"action": "reject_selected", "_selected_action": [site.pending_lesson.pk]},
        ),
    )


@pytest.mark.django_db
def test_no_page_has_inline_code_or_a_live_region_inside_a_heading(client, curator):
    site = build_site_content()
    responses = [(page_type, client.get(path(site))) for page_type, (path, _) in PAGE_TYPES.items()]
    responses += [
        (name, response) for name, response, _, _ in pages_reached_by_posting(client, site)
    ]
    responses.append(("api-docs", client.get("/api/v1/docs")))
    responses += list(admin_pages(client, site, curator))

    broken = {}
    for name, response in responses:
        assert response.status_code in (200, 400, 404), name
        assert response["Content-Type"].startswith("text/html"), name
        if problems := rules_broken(response.content.decode()):
            broken[name] = problems

    assert len(responses) > 35
    assert broken == {}
