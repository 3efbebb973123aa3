"""factory_boy factories of the foundation; apps add theirs in tests/<app>/factories.py."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from association.accounts.models import User
from association.notifications.models import Notification
from association.regions.choices import Kind, Level
from association.regions.models import Region

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get(name=role) for role in extracted])

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
            self.save()


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"4110{n:05d}")
    name = factory.Sequence(lambda n: f"测试街道{n}")
    level = Level.TOWNSHIP
    kind = Kind.STREET
    source = "测试"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    kind = "message"
    title = factory.Sequence(lambda n: f"通知{n}")
    body = "内容"
