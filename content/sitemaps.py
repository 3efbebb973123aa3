"""The sitemap: public pages and public, published articles only."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article

PUBLIC_PAGES = [
    "content:home",
    "content:disclosure",
    "content:directory",
    "content:stations",
    "content:story_list",
    "content:verify",
]


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        sections = [
            ("content:article_list", s) for s in ("news", "notices", "policies", "disclosures")
        ]
        return [(name, None) for name in PUBLIC_PAGES] + sections

    def location(self, item):
        name, arg = item
        return reverse(name, args=[arg] if arg else [])


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.public().only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap}
