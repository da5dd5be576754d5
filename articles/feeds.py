from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy

from .models import ArticlePage


class LatestArticlesFeed(Feed):
    """RSS of the latest published articles."""

    link = reverse_lazy("articles:list")
    description_template = None

    def title(self) -> str:
        return f"{settings.CLINIC_NAME}: articles"

    def description(self) -> str:
        return "Plain advice on back pain, tight hamstrings and staying active."

    def items(self):
        return ArticlePage.objects.published().for_listing()[:20]

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.summary

    def item_pubdate(self, item: ArticlePage):
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage):
        return item.last_published_at or item.first_published_at
