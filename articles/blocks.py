"""The blocks an article body is written in (a Wagtail StreamField).

Each block renders with its own template in ``templates/articles/blocks/``. Rich text allows
headings from h2 down (the page's h1 is the title), lists and links; pictures need a
description; tables become one card per row on a phone; the red-flag list renders the
self-assessment's own safety net, so an article can never disagree with the tool.
"""

import math
import re

from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

WORDS_PER_MINUTE = 200
_WORD = re.compile(r"\w+")
RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link"]
STOP_NOTE = _("Stop if it sends symptoms down your leg.")

EXERCISE_DRAWINGS = [
    ("lying-strap-stretch.svg", _("Hamstring stretch lying down, with a strap")),
    ("seated-towel-stretch.svg", _("Seated hamstring stretch, with a towel")),
    ("standing-hamstring-stretch.svg", _("Standing hamstring stretch")),
    ("bridge.svg", _("Bridge")),
    ("bird-dog.svg", _("Bird dog")),
    ("plank.svg", _("Plank")),
    ("test-90-90.svg", _("The 90/90 hamstring test")),
    ("test-sit-reach.svg", _("The sit-and-reach test")),
]


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[("info", _("Good to know")), ("tip", _("Tip")), ("warning", _("Take care"))],
        default="info",
    )
    heading = blocks.CharBlock(max_length=80, required=False)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul"])

    class Meta:
        icon = "help"
        template = "articles/blocks/callout.html"


class PictureBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    alt = blocks.CharBlock(
        label=_("Description"),
        max_length=250,
        help_text=_("Describe the picture for people who cannot see it."),
    )
    caption = blocks.CharBlock(max_length=250, required=False)

    class Meta:
        icon = "image"
        label = _("Picture")
        template = "articles/blocks/picture.html"


def table_cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


class TableBlock(blocks.StructBlock):
    """A simple table: cells separated by ``|``, one row a line. A phone shows one card a row."""

    caption = blocks.CharBlock(max_length=200, help_text=_("What the table shows."))
    header = blocks.CharBlock(
        max_length=500, help_text=_("Column headings separated by |, e.g. Stretch | How long")
    )
    rows = blocks.TextBlock(help_text=_("One row a line, cells separated by |."))

    class Meta:
        icon = "table"
        template = "articles/blocks/table.html"

    def clean(self, value):
        value = super().clean(value)
        columns = len(table_cells(value["header"]))
        for number, line in enumerate(value["rows"].splitlines(), start=1):
            if line.strip() and len(table_cells(line)) != columns:
                raise StructBlockValidationError(
                    block_errors={
                        "rows": ValidationError(
                            _("Row %(row)d has %(got)d cells; the headings have %(want)d.")
                            % {"row": number, "got": len(table_cells(line)), "want": columns}
                        )
                    }
                )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        headings = table_cells(value["header"])
        context["headings"] = headings
        context["table_rows"] = [
            list(zip(headings, table_cells(line), strict=False))
            for line in value["rows"].splitlines()
            if line.strip()
        ]
        return context


class ExerciseBlock(blocks.StructBlock):
    """A stretch or test: a drawing, the steps, and always the note to stop."""

    name = blocks.CharBlock(max_length=120)
    drawing = blocks.ChoiceBlock(choices=EXERCISE_DRAWINGS, required=False)
    drawing_alt = blocks.CharBlock(label=_("Drawing description"), max_length=250, required=False)
    steps = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "pick"
        template = "articles/blocks/exercise.html"

    def clean(self, value):
        value = super().clean(value)
        if value["drawing"] and not value["drawing_alt"].strip():
            raise StructBlockValidationError(
                block_errors={
                    "drawing_alt": ValidationError(_("Describe the drawing for screen readers."))
                }
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["stop_note"] = STOP_NOTE
        return context


class RedFlagsBlock(blocks.StructBlock):
    """The self-assessment's safety net, rendered from its own data (no text of its own)."""

    intro = blocks.CharBlock(max_length=200, required=False)

    class Meta:
        icon = "warning"
        label = _("Red-flag list (from the self-assessment)")
        template = "articles/blocks/red_flags.html"

    def get_context(self, value, parent_context=None):
        from assessments.safety_net import safety_net_tiers

        context = super().get_context(value, parent_context)
        context["tiers"] = safety_net_tiers()
        return context


class SourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=300)
    publisher = blocks.CharBlock(max_length=150, required=False)
    url = blocks.URLBlock(required=False)


class SourcesBlock(blocks.StructBlock):
    items = blocks.ListBlock(SourceBlock(), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "articles/blocks/sources.html"


class ArticleBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="articles/blocks/text.html")
    picture = PictureBlock()
    table = TableBlock()
    callout = CalloutBlock()
    exercise = ExerciseBlock()
    red_flags = RedFlagsBlock()
    sources = SourcesBlock()


def _block_text(block_type: str, value) -> list[str]:
    if block_type == "text":
        return [strip_tags(value.source)]
    if block_type == "callout":
        return [value["heading"], strip_tags(value["text"].source)]
    if block_type == "picture":
        return [value["caption"]]
    if block_type == "table":
        return [
            value["caption"],
            value["header"].replace("|", " "),
            value["rows"].replace("|", " "),
        ]
    if block_type == "exercise":
        return [value["name"], *value["steps"], str(STOP_NOTE)]
    if block_type == "red_flags":
        from assessments.safety_net import safety_net_tiers

        tiers = safety_net_tiers()
        return [value["intro"], *[f"{t.title} {' '.join(map(str, t.items))}" for t in tiers]]
    if block_type == "sources":
        return [f"{item['title']} {item['publisher']}" for item in value["items"]]
    return []


def stream_text(body) -> str:
    """The body as plain text: what search matches and the reading time counts."""
    parts: list[str] = []
    for block in body:
        parts += [str(part) for part in _block_text(block.block_type, block.value) if part]
    return "\n".join(parts)


def stream_reading_minutes(body) -> int:
    """Minutes an average reader needs for the body, never less than one."""
    return max(1, math.ceil(len(_WORD.findall(stream_text(body))) / WORDS_PER_MINUTE))
