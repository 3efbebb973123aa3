"""The content demo: real-sounding items published through the services, a notice sent to
the stations with receipts, a saved list; run twice, it adds nothing."""

import io

import pytest

from association.accounts.choices import Role
from content import demo
from content.choices import Kind, Status
from content.models import Article, Delivery, RecipientList
from tests.factories import UserFactory
from tests.stations.factories import AssignmentFactory, StationFactory

pytestmark = pytest.mark.django_db


def test_it_publishes_the_demo_items_and_sends_the_notice(client):
    UserFactory(email=demo.STAFF_EMAIL, is_staff=True, roles=[Role.STAFF])
    for n in range(3):
        AssignmentFactory(
            station=StationFactory(), role="head", worker__user=UserFactory(display_name=f"站长{n}")
        )
    out = io.StringIO()
    demo.seed(stdout=out)
    counts = {kind: Article.objects.filter(kind=kind).count() for kind in Kind.values}
    assert counts == {
        Kind.NEWS: len(demo.NEWS),
        Kind.NOTICE: len(demo.NOTICES),
        Kind.POLICY: len(demo.POLICIES),
        Kind.DISCLOSURE: len(demo.DISCLOSURES),
    }
    assert not Article.objects.exclude(status=Status.PUBLISHED).exists()
    assert "lorem" not in "".join(Article.objects.values_list("body", flat=True)).lower()
    notice = Article.objects.get(title=demo.NOTICES[0]["title"])
    assert notice.reply_by and Delivery.objects.filter(article=notice).count() == 3
    assert Delivery.objects.filter(article=notice, replied_at__isnull=False).count() == 1
    assert RecipientList.objects.get().users.count() == 3
    assert "许昌市社会工作行业协会成立" in client.get("/").content.decode()
    demo.seed(stdout=out)
    assert Article.objects.count() == sum(counts.values())
    assert "已存在" in out.getvalue()


def test_it_skips_without_the_demo_staff_account():
    out = io.StringIO()
    demo.seed(stdout=out)
    assert not Article.objects.exists() and "跳过" in out.getvalue()
