"""Who is a member for 仅会员 items, and what the directory's search may reveal."""

import pytest
from django.urls import reverse

from content.choices import Kind, Visibility
from members.choices import MembershipState
from tests.members.factories import (
    MembershipFactory,
    OrganisationFactory,
    SocialWorkerFactory,
    township,
)

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def members_notice(db):
    return ArticleFactory(
        kind=Kind.NOTICE, title="会员内部通知：会费缴纳安排", visibility=Visibility.MEMBERS
    )


def _sees(client, article) -> bool:
    listing = client.get(reverse("content:article_list", args=["notices"])).content.decode()
    detail = client.get(article.get_absolute_url()).status_code
    assert (article.title in listing) == (detail == 200)
    return detail == 200


def test_members_only_items_are_for_members_not_for_applicants(client_for, cast, members_notice):
    """An applicant (role 申请人) waiting for the council, an expert of the court pool and an
    account with no role are not members; the people of member organisations and stations,
    the supervising officials and the association's staff are."""
    for persona in ("applicant", "expert", "outsider"):
        assert not _sees(client_for(getattr(cast, persona)), members_notice), persona
    for persona in ("org_admin_a", "station_worker", "official", "staff", "officer"):
        assert _sees(client_for(getattr(cast, persona)), members_notice), persona


def test_an_admitted_individual_member_reads_members_only_items(client_for, cast, members_notice):
    worker = SocialWorkerFactory(user=cast.applicant)
    membership = MembershipFactory(person=worker, state=MembershipState.APPLIED)
    assert not _sees(client_for(cast.applicant), members_notice)  # applied, not admitted
    membership.state = MembershipState.APPROVED
    membership.save()
    assert _sees(client_for(cast.applicant), members_notice)


# --- The directory's search --------------------------------------------------------------
@pytest.fixture
def listed(db):
    organisation = OrganisationFactory(
        name="许昌市阳光社会工作服务中心",
        region=township("褚河镇", "禹州市"),
        business_scope="老年人照护、困境儿童关爱",
        directory_fields=["county"],  # not the business scope, address or contact
    )
    MembershipFactory(organisation=organisation)
    return organisation


def _found(client, q) -> bool:
    page = client.get(reverse("content:directory"), {"q": q}).content.decode()
    search = client.get(reverse("content:search"), {"q": q}).content.decode()
    assert ("许昌市阳光社会工作服务中心" in page) == ("许昌市阳光社会工作服务中心" in search)
    return "许昌市阳光社会工作服务中心" in page


def test_the_directory_search_reads_only_what_an_organisation_published(client, listed):
    """A search by an unpublished field would tell a visitor what it holds."""
    assert _found(client, "阳光")  # the name is always public
    assert _found(client, "禹州市")  # the county: published
    assert not _found(client, "困境儿童")  # the business scope: not published
    assert not _found(client, "测试路")  # the address: not published
    assert not _found(client, "李联系")  # the contact: not published
    listed.directory_fields = ["business_scope"]
    listed.save()
    assert _found(client, "困境儿童")
    assert not _found(client, "禹州市")


def test_the_search_page_lists_organisations_in_chinese_punctuation(client, listed):
    listed.directory_fields = ["county", "contact_phone"]
    listed.save()
    page = client.get(reverse("content:search"), {"q": "阳光"}).content.decode()
    assert "县（市、区）：禹州市；联系电话：0374-1234567" in page
