"""Markdown for article bodies, rendered to HTML that is safe to put on a page.

Staff write articles in Markdown. Whatever they paste in (an embed from another site, a
``<script>``), only the tags and attributes below reach a patient's browser.
"""

import math
import re

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "hr", "img", "li", "ol", "p", "pre", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}
WORDS_PER_MINUTE = 200
_WORD = re.compile(r"\w+")


def render_markdown(text: str) -> str:
    """Return sanitised HTML for ``text``; the page's own ``h1`` is the article title."""
    html = markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    )


def reading_minutes(text: str) -> int:
    """Minutes an average reader needs for ``text``, never less than one."""
    return max(1, math.ceil(len(_WORD.findall(text)) / WORDS_PER_MINUTE))
