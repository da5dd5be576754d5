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


def markdown_to_blocks(text: str) -> list[dict]:
    """Markdown (the old article bodies) as StreamField blocks, in raw JSON form.

    Runs of ordinary content become one rich-text block (sanitised as before); a table becomes
    a table block; a line ``[[red-flags]]`` becomes the red-flag list block.
    """
    from bs4 import BeautifulSoup

    blocks: list[dict] = []
    buffer: list[str] = []

    def flush() -> None:
        html = "".join(buffer).strip()
        if html:
            blocks.append({"type": "text", "value": html})
        buffer.clear()

    # The page's title is its only h1: a "# Heading" becomes a section heading.
    text = re.sub(r"^#(?=\s)", "##", text, flags=re.M)
    soup = BeautifulSoup(render_markdown(text), "html.parser")
    for node in soup.contents:
        name = getattr(node, "name", None)
        if name == "table":
            flush()
            header = [cell.get_text(" ", strip=True) for cell in node.select("thead th")]
            rows = [
                " | ".join(
                    cell.get_text(" ", strip=True).replace("|", "/") for cell in row.find_all("td")
                )
                for row in node.select("tbody tr")
            ]
            caption = node.find("caption")
            blocks.append(
                {
                    "type": "table",
                    "value": {
                        "caption": caption.get_text(strip=True) if caption else "Summary",
                        "header": " | ".join(h.replace("|", "/") for h in header),
                        "rows": "\n".join(rows),
                    },
                }
            )
        elif name == "p" and node.get_text(strip=True) == "[[red-flags]]":
            flush()
            blocks.append({"type": "red_flags", "value": {"intro": ""}})
        elif name in {"h1"}:
            buffer.append(f"<h2>{node.decode_contents()}</h2>")
        elif name in {"h5", "h6"}:
            buffer.append(f"<h4>{node.decode_contents()}</h4>")
        elif name is None:
            if str(node).strip():
                buffer.append(f"<p>{node}</p>")
        else:
            buffer.append(str(node))
    flush()
    return blocks
