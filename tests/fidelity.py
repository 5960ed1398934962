"""Measure how much of a source document's wording a rendering carries.

Words are runs of letters and digits, case-folded, counted as a multiset, after
stray markup (HTML tags and entities) is removed. Coverage is the share of the
source's word multiset that the rendering contains.
"""

import html
import re
from collections import Counter
from html.parser import HTMLParser

TAG = re.compile(r"<[^>]*>")
WORD = re.compile(r"[^\W_]+")


def words(text):
    """The multiset of words in `text`: letters and digits, case-folded, markup removed."""
    text = html.unescape(TAG.sub(" ", text))
    return Counter(word.casefold() for word in WORD.findall(text))


def coverage(seed_text, rendered_text, excluded=()):
    """Share (0–1) of the seed's word multiset found in the rendered text.

    `excluded` lists passages of the seed (each once per occurrence to drop) whose words
    are not expected in the rendering; the caller says why.
    """
    seed, rendered = words(seed_text), words(rendered_text)
    for passage in excluded:
        seed -= words(passage)
    total = sum(seed.values())
    found = sum(min(count, rendered[word]) for word, count in seed.items())
    return found / total if total else 1.0


def missing(seed_text, rendered_text, excluded=()):
    """The seed's words the rendering lacks, with how many of each."""
    seed = words(seed_text)
    for passage in excluded:
        seed -= words(passage)
    return seed - words(rendered_text)


class _Text(HTMLParser):
    """The text a reader sees in an HTML document: no head, styles or scripts."""

    HIDDEN = {"head", "style", "script"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self.hidden += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.HIDDEN:
            self.hidden -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(document):
    parser = _Text()
    parser.feed(document)
    parser.close()
    return "".join(parser.parts)
