"""Staff write in the admin; its actions move content through the services."""

import pytest
from django.test import TestCase
from django.urls import reverse

from content.choices import Kind, Segment, Status
from content.models import Article, Delivery

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:content_article_changelist"


def _act(client, action, article, **data):
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": [article.pk], **data}
    )


def test_staff_submit_publish_and_withdraw_through_the_actions(client_for, cast):
    client = client_for(cast.staff)
    article = ArticleFactory(title="草稿新闻", status=Status.DRAFT, published_at=None)
    _act(client, "submit", article)
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    _act(client, "publish", article, apply="1", at="")
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED and article.published_at
    assert article.events.filter(pgh_context__metadata__action="content.article_publish").exists()
    _act(client, "unpublish", article)
    article.refresh_from_db()
    assert article.status == Status.UNPUBLISHED


def test_a_refused_move_is_reported_next_to_its_row(client_for, cast):
    client = client_for(cast.staff)
    article = ArticleFactory(title="未审核", status=Status.DRAFT, published_at=None)
    response = _act(client, "publish", article, apply="1", at="")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("未审核" in m and "不能变为" in m for m in messages)
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_a_policy_needs_its_issuer_and_date_to_be_published(client_for, cast):
    article = ArticleFactory(kind=Kind.POLICY, status=Status.REVIEW, published_at=None)
    _act(client_for(cast.staff), "publish", article, apply="1", at="")
    article.refresh_from_db()
    assert article.status == Status.REVIEW


def test_staff_send_a_notice_from_the_admin(client_for, cast):
    from tests.stations.factories import AssignmentFactory

    AssignmentFactory(worker__user=cast.station_worker)
    notice = ArticleFactory(kind=Kind.NOTICE, title="关于填报台账的通知")
    with TestCase.captureOnCommitCallbacks(execute=True):
        _act(client_for(cast.staff), "send", notice, apply="1", segment=Segment.ALL_STATIONS)
    assert Delivery.objects.filter(article=notice, user=cast.station_worker).exists()


def test_the_admin_pages_open(client_for, cast):
    client = client_for(cast.staff)
    article = ArticleFactory()
    assert client.get(reverse(CHANGELIST)).status_code == 200
    assert client.get(reverse("admin:content_article_change", args=[article.pk])).status_code == 200
    assert client.get(reverse("admin:content_article_add")).status_code == 200
    assert Article.objects.count() == 1


def test_the_admin_form_and_its_attachments_go_through_the_services(client_for, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def form(**extra):
        return {
            "kind": Kind.NEWS, "title": "年会召开", "slug": "", "summary": "", "body": "正文",
            "visibility": "public", "issuer": "", "document_number": "", "issued_on": "",
            "reply_by": "",
            "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
            "attachments-0-title": "议程",
            "attachments-0-file": SimpleUploadedFile("agenda.pdf", b"%PDF-1.4 demo"),
            "distributions-TOTAL_FORMS": "0", "distributions-INITIAL_FORMS": "0",
            "distributions-MIN_NUM_FORMS": "0", "distributions-MAX_NUM_FORMS": "1000",
            **extra,
        }  # fmt: skip

    client = client_for(cast.staff)
    response = client.post(reverse("admin:content_article_add"), form())
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(title="年会召开")
    assert article.status == Status.DRAFT and article.created_by == cast.staff
    assert article.events.filter(pgh_context__metadata__action="content.article_save").exists()
    attachment = article.attachments.get()
    assert attachment.title == "议程"
    assert attachment.events.filter(
        pgh_context__metadata__services__contains=["content.attachment_save"]
    ).exists()

    # A file of the wrong type is refused on the form, nothing saved.
    bad = form(title="另一篇")
    bad["attachments-0-file"] = SimpleUploadedFile("run.exe", b"MZ")
    response = client.post(reverse("admin:content_article_add"), bad)
    assert response.status_code == 200
    assert "不支持的文件类型" in response.content.decode()
    assert not Article.objects.filter(title="另一篇").exists()
