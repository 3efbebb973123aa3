"""Authorization sweep cases of the content app's URLs (see tests/sweep.py)."""

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.sweep import ALL_PERSONAS, EVERYONE, Case

STAFF = {"officer", "staff"}
# Who reads 仅会员 items (content.permissions.reads_members_content): not an applicant or an
# expert who is not an admitted member, nor an account without a role.
MEMBERS = ALL_PERSONAS - {"outsider", "applicant", "expert"}


def _members_article(cast, **kwargs):
    from content.choices import Visibility

    from .factories import ArticleFactory

    return ArticleFactory(visibility=Visibility.MEMBERS, **kwargs)


def _covered(cast):
    article = _members_article(cast)
    article.cover.save("cover.png", ContentFile(b"\x89PNG\r\n\x1a\n0000"), save=True)
    return {"slug": article.slug}


def _attachment(cast):
    from content.models import Attachment

    attachment = Attachment(article=_members_article(cast), title="附件")
    attachment.file.save("a.pdf", ContentFile(b"%PDF-1.4 a"), save=True)
    return {"pk": attachment.pk}


def _notice(cast):
    from content.choices import Kind

    return _members_article(cast, kind=Kind.NOTICE, reply_by=timezone.localdate())


def _delivery(cast, *, with_file=False):
    from content.choices import Segment
    from content.models import Delivery, Distribution

    notice = _notice(cast)
    distribution = Distribution.objects.create(
        article=notice, segment=Segment.ORGANISATIONS, created_by=cast.staff
    )
    delivery = Delivery.objects.create(
        article=notice, distribution=distribution, user=cast.org_admin_a, notified_at=timezone.now()
    )
    if with_file:
        delivery.read_at = delivery.replied_at = timezone.now()
        delivery.reply_file.save("r.pdf", ContentFile(b"%PDF-1.4 r"), save=True)
    return delivery


def _story(cast):
    from projects.choices import StoryStatus
    from projects.models import Story

    story = Story.objects.create(
        title="社工陪伴成长",
        body="故事正文",
        status=StoryStatus.PUBLISHED,
        author=cast.staff,
        published_at=timezone.now(),
    )
    return {"pk": story.pk}


CASES = {
    "content:home": Case(allowed=EVERYONE),
    "content:search": Case(allowed=EVERYONE, data={"q": "协会"}),
    "content:feed": Case(allowed=EVERYONE),
    "content:sitemap": Case(allowed=EVERYONE),
    "content:disclosure": Case(allowed=EVERYONE),
    "content:directory": Case(allowed=EVERYONE),
    "content:stations": Case(allowed=EVERYONE),
    "content:story_list": Case(allowed=EVERYONE),
    "content:story_detail": Case(allowed=EVERYONE, make=_story),
    "content:verify": Case(allowed=EVERYONE),
    "content:article_list": Case(allowed=EVERYONE, make=lambda cast: {"section": "news"}),
    "content:article_detail": Case(
        allowed=MEMBERS, make=lambda cast: {"slug": _members_article(cast).slug}
    ),
    "content:cover": Case(allowed=MEMBERS, make=_covered),
    "content:attachment": Case(allowed=MEMBERS, make=_attachment),
    "content:inbox": Case(allowed=ALL_PERSONAS),
    "content:delivery_detail": Case(
        allowed={"org_admin_a"}, make=lambda cast: {"pk": _delivery(cast).pk}
    ),
    "content:delivery_file": Case(
        allowed={"org_admin_a"} | STAFF,
        make=lambda cast: {"pk": _delivery(cast, with_file=True).pk},
    ),
    "content:notice_list": Case(allowed=STAFF),
    "content:notice_receipts": Case(allowed=STAFF, make=lambda cast: {"pk": _notice(cast).pk}),
    "content:notice_remind": Case(
        allowed=STAFF, make=lambda cast: {"pk": _delivery(cast).article_id}, method="post"
    ),
    "content:notice_export": Case(
        allowed=STAFF, make=lambda cast: {"pk": _delivery(cast).article_id}
    ),
}


def _own_organisation(cast):
    from tests.members.factories import OrganisationAdminFactory

    return {"pk": OrganisationAdminFactory(user=cast.org_admin_a).organisation_id}


CASES |= {
    "robots": Case(allowed=EVERYONE),
    # The members app's directory consent page, added with the public site's directory.
    "members:organisation_directory": Case(allowed={"org_admin_a"}, make=_own_organisation),
}
