"""Finds text on a page that was left in English: used by the page tests and the browser test."""

from __future__ import annotations

import re
from html.parser import HTMLParser

LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Elements whose content is data or code, not interface text.
_SKIP_TAGS = {"script", "style", "code", "svg", "title"}
_TEXT_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []
        self.texts: list[str] = []
        self.document_title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        skip = (
            tag in _SKIP_TAGS
            or "mono" in classes
            or values.get("dir") == "ltr"
            or values.get("lang") not in (None, "ar", "ckb")
            or values.get("translate") == "no"
        )
        inherited = bool(self.stack and self.stack[-1])
        if tag == "title":
            self._in_title = True
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "path", "rect"}:
            self.stack.append(skip or inherited)
        if not (skip or inherited):
            for name in _TEXT_ATTRIBUTES:
                if values.get(name):
                    self.texts.append(values[name] or "")
            if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
                self.texts.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "path", "rect"} and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.document_title += data
            return
        if not (self.stack and self.stack[-1]):
            self.texts.append(data)


def english_words(html: str, allowed: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Latin-script words in the interface text of ``html``, except those in ``allowed``."""
    collector = _Collector()
    collector.feed(html)
    words: list[str] = []
    for text in [*collector.texts, collector.document_title]:
        words.extend(word for word in LATIN_WORD.findall(text) if word not in allowed)
    return words
