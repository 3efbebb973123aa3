"""An Atom feed of public news and notices (members-only items never appear)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .choices import Kind
from .models import Article
from .rendering import plain_text


class NewsFeed(Feed):
    feed_type = Atom1Feed
    title = _("许昌市社会工作行业协会 · 新闻动态与通知公告")
    link = reverse_lazy("content:home")
    subtitle = _("协会公开发布的新闻动态与通知公告。")

    def items(self):
        return Article.objects.public().filter(kind__in=[Kind.NEWS, Kind.NOTICE])[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or plain_text(item.body, 300)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
