"""Move the Markdown articles into Wagtail pages under ``/articles/``, keeping their addresses.

Historical models know nothing of Wagtail's tree helpers, so the tree paths are written here
the way treebeard writes them (four base-36 characters a level). Each body is converted from
Markdown into blocks (``articles.markdown.markdown_to_blocks``); tags, hero pictures (now in
the image library) and the review already shown to readers come along. A scheduled article
becomes a draft with its date kept: from now on it publishes only through the clinical review.
"""

import json
import uuid

from django.db import migrations
from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4


def _segment(number: int) -> str:
    out = ""
    while number:
        number, digit = divmod(number, 36)
        out = ALPHABET[digit] + out
    return out.rjust(STEP, "0")


def _next_child_path(Page, parent) -> str:
    last = (
        Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    number = int(last[-STEP:], 36) + 1 if last else 1
    return parent.path + _segment(number)


def _add_child(Page, parent, instance):
    instance.path = _next_child_path(Page, parent)
    instance.depth = parent.depth + 1
    instance.numchild = 0
    instance.url_path = f"{parent.url_path}{instance.slug}/"
    instance.locale_id = parent.locale_id
    instance.translation_key = uuid.uuid4()
    instance.draft_title = instance.title
    instance.save()
    Page.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
    parent.numchild += 1
    return instance


def _hero(apps, article):
    from django.core.files.storage import default_storage
    from PIL import Image as PILImage

    Image = apps.get_model("wagtailimages", "Image")
    Collection = apps.get_model("wagtailcore", "Collection")
    name = article.hero_image.name
    try:
        with default_storage.open(name) as handle:
            width, height = PILImage.open(handle).size
        size = default_storage.size(name)
    except (OSError, ValueError):
        return None  # the file is gone: the article keeps no picture rather than a broken one
    return Image.objects.create(
        title=article.hero_image_alt[:255] or article.title,
        file=name,
        width=width,
        height=height,
        file_size=size,
        collection=Collection.objects.filter(depth=1).first(),
        created_at=timezone.now(),
        description=article.hero_image_alt,
    )


def forwards(apps, schema_editor):
    from articles.markdown import markdown_to_blocks

    Article = apps.get_model("articles", "Article")
    if not Article.objects.exists():
        return
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ArticleIndexPage = apps.get_model("articles", "ArticleIndexPage")
    ArticlePage = apps.get_model("articles", "ArticlePage")

    site = Site.objects.filter(is_default_site=True).first()
    home = Page.objects.get(pk=site.root_page_id)
    index = ArticleIndexPage.objects.first()
    if index is None:
        index_type, _ = ContentType.objects.get_or_create(
            app_label="articles", model="articleindexpage"
        )
        index = _add_child(
            Page,
            home,
            ArticleIndexPage(title="Articles", slug="articles", content_type=index_type, live=True),
        )
    index = Page.objects.get(pk=index.pk)
    page_type, _ = ContentType.objects.get_or_create(app_label="articles", model="articlepage")
    now = timezone.now()
    for article in Article.objects.order_by("published_at", "pk"):
        is_live = (
            article.status == "published"
            and article.published_at is not None
            and article.published_at <= now
        )
        blocks = [
            {"type": block["type"], "value": block["value"], "id": str(uuid.uuid4())}
            for block in markdown_to_blocks(article.body)
        ]
        page = _add_child(
            Page,
            index,
            ArticlePage(
                title=article.title,
                slug=article.slug,
                content_type=page_type,
                live=is_live,
                has_unpublished_changes=not is_live,
                first_published_at=article.published_at if is_live else None,
                last_published_at=article.updated_at if is_live else None,
                go_live_at=None if is_live else article.published_at,
                summary=article.summary,
                body=json.dumps(blocks),
                search_text=article.body,
                reading_minutes=article.reading_minutes,
                author_id=article.author_id,
                owner_id=article.author_id,
                hero_image=_hero(apps, article) if article.hero_image else None,
                hero_image_alt=article.hero_image_alt if article.hero_image else "",
                reviewed_on=article.reviewed_on,
                reviewed_by=article.reviewed_by,
            ),
        )
        with schema_editor.connection.cursor() as cursor:
            # Plain SQL: both models name their tags' reverse accessor "articles" here.
            cursor.execute(
                "INSERT INTO articles_articlepage_tags (articlepage_id, tag_id) "
                "SELECT %s, tag_id FROM articles_article_tags WHERE article_id = %s",
                [page.pk, article.pk],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_pages"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
