"""Factories of the content app."""

import factory
from django.utils import timezone

from content.choices import Kind, Status, Visibility
from content.models import Article


class ArticleFactory(factory.django.DjangoModelFactory):
    """A published, public news item by default."""

    class Meta:
        model = Article

    kind = Kind.NEWS
    title = factory.Sequence(lambda n: f"协会动态第{n}期")
    body = "协会召开工作会议，部署年度重点工作。"
    visibility = Visibility.PUBLIC
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
