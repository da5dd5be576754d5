from django.contrib.sitemaps import Sitemap

from .models import ArticlePage


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return (
            ArticlePage.objects.published()
            .defer("body", "search_text")
            .order_by("-first_published_at")
        )

    def location(self, item: ArticlePage) -> str:
        return item.get_absolute_url()

    def lastmod(self, item: ArticlePage):
        return item.last_published_at or item.first_published_at
