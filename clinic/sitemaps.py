from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    """The site's fixed pages that patients arrive on from search engines."""

    changefreq = "monthly"

    def items(self) -> list[str]:
        return [
            "home",
            "articles:list",
            "assessments:start",
            "bookings:start",
            "contact:form",
            "privacy",
        ]

    def location(self, item: str) -> str:
        return reverse(item)
