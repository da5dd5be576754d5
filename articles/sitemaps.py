from django.contrib.sitemaps import Sitemap

from .models import Article


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Article.objects.published().defer("body", "body_html").order_by("-published_at")

    def lastmod(self, item: Article):
        return item.updated_at
