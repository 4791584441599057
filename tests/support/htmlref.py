"""The reference reader of the link-check tests: what the link check needs from a page (ids and
links), read by the standard library's :class:`html.parser.HTMLParser`."""

from __future__ import annotations

from html.parser import HTMLParser

from launchbook.site.linkcheck import Scan


class Reference(HTMLParser):
    """What the link check needs from a page, read by the standard library's HTML parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and tag != "meta":
                self.ids.add(value)
            elif name in ("href", "src"):
                self.links.append((tag, name, value))


def reference_scan(page: str) -> Scan:
    return reference_read(page)[0]


def reference_read(page: str) -> tuple[Scan, bool]:
    """The reference's scan, and whether it read the whole page: ``HTMLParser`` stops at a start
    tag it cannot delimit (``<a href="x<b>`` with no closing quote) and holds the rest back."""
    ref = Reference()
    ref.feed(page)
    return (ref.ids, ref.links), "<" not in ref.rawdata
