"""Demo content of the public site: news, notices, policies and disclosures as the
association's staff would write them, each created, submitted and published through
``content.services`` by the demo's staff user; one notice sent to every station with a
deadline (and a few receipts in), and one saved list of recipients.

``seed(stdout=None)`` is what ``seed_demo`` calls (after the accounts, members, stations,
projects and governance demos: it needs their staff user and stations). Idempotent: it
does nothing when the first news item exists. ``articles_create(by=…)``,
``notice_send_demo(by=…)`` and ``recipient_list_demo(by=…)`` are its parts.
"""

# ruff: noqa: E501  (the items are prose: a Markdown paragraph is one line, Chinese has no spaces to wrap at)
from __future__ import annotations

import datetime

from django.utils import timezone

from association.services import history_context

from . import services
from .choices import Kind, Segment, Visibility
from .models import Article, Delivery, RecipientList

STAFF_EMAIL = "staff@demo.xcsw.org.cn"


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


NEWS = [
    {
        "title": "许昌市社会工作行业协会成立",
        "summary": "许昌市召开社会工作行业协会成立大会暨乡镇（街道）社工站建设研讨会，"
        "全市社会工作行业单位会员代表、个人会员代表80余人参会。",
        "body": """为进一步提升全市社会工作行业服务水平，推动社会工作建设再上新台阶，许昌市召开社会工作行业协会成立大会暨许昌市乡镇（街道）社工站建设研讨会，全市社会工作行业单位会员代表、个人会员代表共计80余人参会。

会议宣读了许昌市社会工作行业协会成立的批复文件，表决通过了《许昌市社会工作行业协会章程（草案）》《许昌市社会工作行业协会选举办法》《许昌市社会工作行业协会资金管理使用办法》三个制度文件，选举产生了理事会成员、会长、副会长和秘书长。

许昌市民政局负责同志指出，全市按照“一年起步、两年铺开、三年建成”的发展思路推进乡镇（街道）社工站建设，已建成乡镇（街道）社工站106个，实现全覆盖；持证社工从2020年的100余人发展到500多人，社会工作机构从12家发展到23家。

会长表示，协会将为规范全市社会工作行业行为、整合社会工作行业力量提供理论和技术支持，推动许昌市社会工作专业化、职业化发展，为基层服务，为群众服务。

成立大会后举行了乡镇（街道）社工站建设研讨会，省内外10余位专家学者围绕保障基本民生、助力基层治理、促进社工站建设作专题讲座。""",
        "days_ago": 400,
    },
    {
        "title": "协会召开一届二次理事会",
        "summary": "理事会审议通过年度工作报告、财务收支情况和会费标准调整方案。",
        "body": """协会一届二次理事会在许昌市召开，应到理事过半数出席，符合章程规定。

会议审议通过了秘书处所作的年度工作报告和财务收支情况报告，表决通过了单位会员和个人会员会费标准，决定新吸收一批单位会员和个人会员。

会议要求，秘书处要围绕乡镇（街道）社工站提质增效，抓好服务台账规范、督导培训和项目评估，做好会员服务，按规定及时在协会网站公开相关信息。""",
        "days_ago": 160,
    },
    {
        "title": "全市社工站服务台账规范化培训在禹州举办",
        "summary": "来自各县（市、区）社工站的一线社工参加培训，重点学习个案、小组、社区活动台账的填报要求。",
        "body": """为提升乡镇（街道）社工站服务记录的规范性，协会在禹州市举办全市社工站服务台账规范化培训，各县（市、区）社工站站长和一线社工参加。

培训围绕**个案、小组、社区活动**三类服务的台账填写、月报报送和佐证材料留存展开，讲解了平台月报的填报时限、退回修改和审核流程，并结合常见错误逐项示范。

参训社工表示，培训内容贴近日常工作，对照示范逐项整改，能减少月报退回，把更多时间用在服务群众上。""",
        "days_ago": 75,
    },
    {
        "title": "后河镇社工站“银龄守护”走访独居老人",
        "summary": "长葛市后河镇社工站联合村（社区）开展独居老人入户走访，建立需求台账。",
        "body": """长葛市后河镇社工站联合各村（社区）开展“银龄守护”独居老人入户走访活动。社工逐户了解老人的居住安全、身体状况和日常照料情况，为有需要的老人链接助餐、助医和志愿者探访资源。

对走访中发现的高风险老人，社工站建立个案跟进台账，定期回访，并与村（社区）网格员保持联系，确保问题有人管、需求有回应。""",
        "days_ago": 30,
    },
    {
        "title": "毕业生社工计划开始接受报名",
        "summary": "协会面向高校应届毕业生招募社工，到乡镇（街道）社工站开展为期一年的服务。",
        "body": """协会面向高校应届毕业生开展毕业生社工计划招募。入选的毕业生将到乡镇（街道）社工站开展为期一年的专业服务，接受督导和系统培训，服务期满考核合格的，颁发服务证明。

社会工作及相关专业的毕业生优先。报名请在本网站“毕业生社工招募”栏目查看开放的批次并在线提交申请。""",
        "days_ago": 12,
    },
]

NOTICES = [
    {
        "title": "关于报送乡镇（街道）社工站年度工作总结的通知",
        "summary": "请各社工站在截止日期前通过平台回执上传年度工作总结。",
        "body": """各乡镇（街道）社工站：

为全面总结本年度社工站建设和服务成效，请各社工站认真撰写年度工作总结，内容包括：

1. 站点基本情况（人员、场地、服务时间）；
2. 全年服务开展情况（个案、小组、社区活动及服务人次）；
3. 特色服务和典型案例；
4. 存在的问题和下一年度工作计划。

请于回执截止日期前在平台“我的通知”中回复本通知，并上传总结（Word 或 PDF）。

联系人：协会秘书处""",
        "reply_in_days": 14,
        "days_ago": 2,
    },
    {
        "title": "关于缴纳2026年度会费的通知",
        "summary": "请各会员按理事会通过的会费标准按时缴纳年度会费。",
        "body": """各单位会员、个人会员：

根据协会章程和理事会通过的会费标准，请各会员于规定期限内缴纳2026年度会费。缴费后可在平台“我的会籍”中查看缴费记录并下载收据。

逾期未缴纳会费的，按章程有关规定处理。""",
        "visibility": Visibility.MEMBERS,
        "days_ago": 20,
    },
    {
        "title": "关于举办社工站站长能力提升培训班的通知",
        "summary": "培训面向各社工站站长，内容包括督导方法、项目管理和服务评估。",
        "body": """各县（市、区）社工站：

为提升社工站站长的管理和督导能力，协会将举办社工站站长能力提升培训班，内容包括专业督导方法、服务项目管理和服务成效评估。

请各社工站站长按时参加，培训期间遵守纪律，完成全部课程的，颁发培训证明。""",
        "days_ago": 45,
    },
]

POLICIES = [
    {
        "title": "社会团体登记管理条例",
        "summary": "社会团体的登记、变更、注销和监督管理。",
        "body": "《社会团体登记管理条例》规定社会团体的成立条件、登记程序、变更和注销登记及监督管理。协会依照本条例在登记管理机关登记。全文请查阅中国政府网。",
        "issuer": "国务院",
        "document_number": "中华人民共和国国务院令第250号",
        "issued_on": datetime.date(1998, 10, 25),
        "days_ago": 380,
    },
    {
        "title": "中华人民共和国慈善法",
        "summary": "慈善组织、慈善募捐、慈善捐赠、慈善服务和信息公开的法律规定。",
        "body": "《中华人民共和国慈善法》规范慈善活动，保护慈善组织、捐赠人、志愿者、受益人等的合法权益。2023年12月29日第十四届全国人民代表大会常务委员会第七次会议作出修改。全文请查阅中国人大网。",
        "issuer": "全国人民代表大会",
        "document_number": "中华人民共和国主席令第四十三号",
        "issued_on": datetime.date(2016, 3, 16),
        "days_ago": 370,
    },
    {
        "title": "许昌市社会工作行业协会会员管理办法",
        "summary": "会员的入会条件和程序、权利义务、会费缴纳、退会和除名。",
        "body": """本办法依据协会章程制定，经理事会审议通过。

- 入会：单位会员和个人会员在平台提交申请，秘书处审核，理事会批准；
- 会费：按理事会通过的会费标准每年缴纳，逾期未缴的进入宽限期；
- 继续教育：个人会员每年完成规定学时的继续教育；
- 退会和除名：按章程规定办理。""",
        "issuer": "许昌市社会工作行业协会",
        "document_number": "许社协〔2024〕3号",
        "issued_on": datetime.date(2024, 3, 1),
        "days_ago": 300,
    },
]

DISCLOSURES = [
    {
        "title": "协会基本信息",
        "summary": "协会的登记管理机关、业务范围和联系方式。",
        "body": """**名称**：许昌市社会工作行业协会

**登记管理机关**：许昌市民政局

**业务范围**：行业自律、业务培训、交流合作、咨询服务、承接政府购买服务。

**联系方式**：请通过本网站“通知公告”栏目公布的秘书处联系方式联系。""",
        "days_ago": 390,
    },
    {
        "title": "年度工作报告摘要",
        "summary": "秘书处向会员大会所作年度工作报告的摘要。",
        "body": """一年来，协会围绕乡镇（街道）社工站建设和行业规范开展工作：

1. **会员服务**：在线办理入会、续会和会费缴纳，开展继续教育学时登记；
2. **社工站支持**：组织服务台账规范化培训，建立月报报送和审核制度，开展年度评估；
3. **人才培养**：启动毕业生社工计划，组织站长能力提升培训；
4. **信息公开**：在本网站公开章程、理事会组成、会费标准和年度工作报告。

财务收支情况以理事会审议通过的财务报告为准。""",
        "days_ago": 150,
    },
]


def articles_create(*, by) -> list[Article]:
    """Every demo item, written, submitted and published (at dates in the past) by ``by``."""
    today = timezone.localdate()
    created = []
    for kind, items in (
        (Kind.NEWS, NEWS),
        (Kind.NOTICE, NOTICES),
        (Kind.POLICY, POLICIES),
        (Kind.DISCLOSURE, DISCLOSURES),
    ):
        for item in items:
            fields = {k: v for k, v in item.items() if k not in ("days_ago", "reply_in_days")}
            day = today - datetime.timedelta(days=item["days_ago"])
            if "reply_in_days" in item:
                fields["reply_by"] = today + datetime.timedelta(days=item["reply_in_days"])
            article = services.article_create(by=by, kind=kind, **fields)
            services.article_submit(article, by=by)
            created.append(services.article_publish(article, by=by, at=_at(day)))
    return created


def notice_send_demo(*, by, notice: Article) -> int:
    """The notice to every station, sent now (not by a worker), with a few receipts in:
    the first recipients have read it, some of them replied. Returns the recipients."""
    distribution = services.notice_send(notice, by=by, segment=Segment.ALL_STATIONS)
    services.distribution_run(distribution.pk)
    deliveries = list(
        Delivery.objects.filter(distribution=distribution).select_related("user").order_by("id")
    )
    for n, delivery in enumerate(deliveries[: max(1, len(deliveries) // 3)]):
        if n % 2 == 0:
            services.delivery_reply(
                delivery,
                by=delivery.user,
                text="已收到，年度工作总结将按时报送。",
            )
        else:
            services.delivery_read(delivery, by=delivery.user)
    return len(deliveries)


def recipient_list_demo(*, by) -> RecipientList | None:
    """A saved list: the heads of the first stations of each county (when there are any)."""
    from stations.choices import StaffRole
    from stations.models import StaffAssignment

    heads = (
        StaffAssignment.objects.current()
        .filter(role=StaffRole.HEAD, worker__user__isnull=False, worker__user__is_active=True)
        .select_related("worker__user")
        .order_by("station__region__code")[:20]
    )
    users = list(dict.fromkeys(a.worker.user for a in heads))
    if not users:
        return None
    return services.recipient_list_save(
        None, by=by, name="社工站站长（示范站）", users=users, note="站长能力提升培训的联络名单"
    )


def seed(stdout=None):
    """Seed the content demo (its history says "seed_demo", however it is called)."""
    from association.accounts.models import User

    def say(text):
        if stdout is not None:
            stdout.write(text)

    with history_context("seed_demo"):
        if Article.objects.filter(title=NEWS[0]["title"]).exists():
            say("网站内容演示数据已存在，跳过")
            return
        staff = User.objects.filter(email=STAFF_EMAIL, is_active=True).first()
        if staff is None:
            say(f"没有演示工作人员账户 {STAFF_EMAIL}，跳过网站内容演示数据")
            return
        articles = articles_create(by=staff)
        notice = next(a for a in articles if a.title == NOTICES[0]["title"])
        recipients = notice_send_demo(by=staff, notice=notice)
        recipient_list_demo(by=staff)
        say(f"网站内容：{len(articles)} 篇；通知已下发给 {recipients} 位社工站人员")
