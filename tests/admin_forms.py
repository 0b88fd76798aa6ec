"""What a curator's browser would send for an admin form: its values as the page shows them."""

from html.parser import HTMLParser


class FormReader(HTMLParser):
    """The values a browser would send for the admin form on a page, as it stands."""

    def __init__(self):
        super().__init__()
        self.data = {}  # name: [value, …]
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select].append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data.removeprefix("\n")


def admin_form(client, url, **changes):
    reader = FormReader()
    reader.feed(client.get(url).content.decode())
    data = dict(reader.data)
    data.pop("_popup", None)
    data.update(
        {name: value if isinstance(value, list) else [value] for name, value in changes.items()}
    )
    return data
