"""The admin's change list counts, kept until their tables change (association/admin_counts.py).

These tests commit (``transaction=True``): counts are kept only outside a transaction, and
a change is counted only once it is committed."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from association.admin_counts import KeptCountPaginator, keepable, kept_count
from members.models import Membership
from tests.factories import UserFactory
from tests.members.factories import bulk_memberships

pytestmark = pytest.mark.django_db(transaction=True)

CURRENT = "/admin/members/membership/?standing=current"


@pytest.fixture
def root(client_for):
    return client_for(UserFactory(email="root@example.org", is_staff=True, is_superuser=True))


def _counted(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]


def test_a_count_is_kept_until_a_table_of_its_topic_changes(root):
    bulk_memberships(30, today=timezone.localdate(), seed=11)
    first = root.get(CURRENT).context["cl"].result_count
    assert 0 < first < 30  # some current, some not
    with CaptureQueriesContext(connection) as queries:
        again = root.get(CURRENT)
    assert again.context["cl"].result_count == first
    assert _counted(queries) == []  # kept: the generation was asked, not the count
    assert sum("association_tablechange" in q["sql"] for q in queries.captured_queries) == 1

    member = again.context["cl"].result_list[0]
    Membership.objects.filter(pk=member.pk).update(state="suspended")  # committed
    with CaptureQueriesContext(connection) as queries:
        after = root.get(CURRENT)
    assert after.context["cl"].result_count == first - 1
    assert len(_counted(queries)) == 1
    assert member.pk not in {m.pk for m in after.context["cl"].result_list}


def test_the_workers_count_is_kept_through_a_dues_payment(root):
    """The social workers list counts under the register's tables: a dues change keeps
    its count, a change to a worker counts it again."""
    bulk_memberships(6, today=timezone.localdate(), seed=14)
    workers = "/admin/members/socialworker/"
    first = root.get(workers).context["cl"].result_count
    with connection.cursor() as cursor:
        cursor.execute("UPDATE members_dues SET id = id WHERE id < 0")
    with CaptureQueriesContext(connection) as queries:
        assert root.get(workers).context["cl"].result_count == first
    assert _counted(queries) == []
    with connection.cursor() as cursor:
        cursor.execute("UPDATE members_socialworker SET id = id WHERE id < 0")
    with CaptureQueriesContext(connection) as queries:
        assert root.get(workers).context["cl"].result_count == first
    assert len(_counted(queries)) == 1


def test_each_filter_and_search_has_its_own_count(root):
    bulk_memberships(12, today=timezone.localdate(), seed=12)
    every = root.get("/admin/members/membership/").context["cl"].result_count
    current = root.get(CURRENT).context["cl"].result_count
    none = root.get("/admin/members/membership/?q=nobody-has-this-name").context["cl"]
    assert every == 12
    assert current < every
    assert none.result_count == 0
    assert root.get(CURRENT).context["cl"].result_count == current


def test_one_count_is_kept_for_the_same_rows_in_any_order_and_columns():
    """The key leaves out what the count does not depend on, and keeps what it does."""
    bulk_memberships(5, today=timezone.localdate(), seed=15)
    paginator = kept_count("members")
    assert paginator(Membership.objects.order_by("pk"), 100).count == 5
    listed = Membership.objects.select_related("organisation").order_by("-applied_on")
    with CaptureQueriesContext(connection) as queries:
        assert paginator(listed.only("number"), 100).count == 5
        assert paginator(listed.annotate(n=Count("dues")), 100).count == 5  # GROUP BY
    assert len(_counted(queries)) == 1
    types = Membership.objects.values("member_type").distinct()  # counts its column
    assert paginator(types, 100).count == len({m.member_type for m in Membership.objects.all()})
    assert paginator(Membership.objects.filter(number="none"), 100).count == 0


def test_inside_a_transaction_the_count_is_counted_every_time():
    bulk_memberships(5, today=timezone.localdate(), seed=13)
    paginator = kept_count("members")
    with transaction.atomic():
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                assert paginator(Membership.objects.order_by("pk"), 100).count == 5
            assert len(_counted(queries)) == 1


def test_only_a_query_of_the_topics_tables_without_the_clock_is_kept():
    members = str(Membership.objects.select_related("organisation", "person").query)
    assert keepable(members, "members")
    assert not keepable(members, "stations")  # members_membership is not a stations table
    users = str(Membership.objects.filter(submitted_by__email="a@example.org").query)
    assert "accounts_user" in users
    assert not keepable(users, "members")
    assert not keepable(members + " AND applied_on <= CURRENT_DATE", "members")
    assert not keepable(members + " WHERE now() > '2000-01-01'", "members")
    assert not keepable("SELECT 1", "members")
    raw = members.replace('FROM "members_membership"', "FROM members_membership")
    assert keepable(raw, "members")
    outside = " WHERE id IN (SELECT user_id FROM accounts_user)"
    assert not keepable(raw + outside, "members")
    assert not keepable(members + " CROSS JOIN generate_series(1, 2)", "members")


def test_a_list_that_is_not_a_queryset_or_matches_nothing_is_counted_as_django_counts():
    assert KeptCountPaginator([1, 2, 3], 2).count == 3
    assert kept_count("members")(Membership.objects.none(), 100).count == 0
    with pytest.raises(ValueError):
        kept_count("nothing")
