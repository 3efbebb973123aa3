"""Stations, their dated status history, checklist, contracts, staff, build plan and reviewers."""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Exists, F, Q
from django.utils.translation import gettext_lazy as _

from association import changes
from association.accounts.roles import is_association_staff

from ..choices import ChecklistItem, StaffRole, StationStatus


def _ways_to_see(user) -> list[Q]:
    """The stations a non-staff user sees: those their organisation runs, those of a county
    they review, those they are assigned to now."""
    return [
        Q(operator__admins__user=user),
        Q(region__parent__station_reviewers__user=user),
        Q(pk__in=StaffAssignment.objects.current().filter(worker__user=user).values("station")),
    ]


class StationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every station; an operator's admin the stations it runs; a station
        worker the stations they are assigned to now; a county reviewer the county's
        stations. Officials see no station rows (only the dashboard's aggregates)."""
        if not user.is_authenticated:
            return self.none()
        if is_association_staff(user):
            return self
        return self.filter(pk__in=self.visible_pks(user))

    def visible_pks(self, user):
        """The ids of the stations a non-staff user sees, as a query: the union of one
        lookup a way, each driven by the user's own rows through its indexes. The same
        conditions as an OR across the joins read every station (and, in a query of
        reports, every report), 25 ms a page at province scale."""
        first, *others = (
            Station.objects.filter(way).order_by().values_list("pk", flat=True)
            for way in _ways_to_see(user)
        )
        return first.union(*others)

    def any_visible_to(self, user):
        """Whether :meth:`visible_to` gives any station, for a non-staff user, as a
        condition (``Exists`` on each way a user comes to see a station, each driven from
        the user's own rows by their indexes). ``Exists(visible_to(user))`` read every
        station through the OR of the joins to find none for an official: 11 ms at
        province scale on every portal page."""
        condition = Q()
        for way in _ways_to_see(user):
            condition |= Exists(self.filter(way))
        return condition

    def operated_by_user(self, user):
        return self.filter(operator__admins__user=user)


@pghistory.track()
class Station(models.Model):
    """A township's social-work station (乡镇（街道）社工站)."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("所在乡镇（街道）"),
        on_delete=models.PROTECT,
        related_name="stations",
        limit_choices_to={"level": "township"},
    )
    name = models.CharField(_("站点名称"), max_length=100)
    operator = models.ForeignKey(
        "members.Organisation",
        verbose_name=_("运营机构"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stations",
        help_text=_("承接运营的社会工作服务机构（单位会员）。"),
    )
    address = models.CharField(_("站点地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    service_hours = models.CharField(
        _("服务时间"),
        max_length=100,
        blank=True,
        help_text=_("在协会网站社工站名片上公开，例如：周一至周五 8:30—12:00，14:30—17:30。"),
    )
    service_areas = models.ManyToManyField(
        "stations.ServiceArea", verbose_name=_("服务领域"), blank=True, related_name="stations"
    )
    opened_on = models.DateField(_("建站日期"), null=True, blank=True)
    closed_on = models.DateField(
        _("撤销日期"), null=True, blank=True, editable=False, help_text=_("由状态记录自动填写。")
    )
    current_status = models.CharField(
        _("当前状态"),
        max_length=12,
        choices=StationStatus.choices,
        default=StationStatus.PLANNED,
        editable=False,
        help_text=_("由状态记录自动计算：最近一条已生效的状态。"),
    )
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        # Figures read from this table are kept until it changes (association.changes).
        triggers = [
            changes.trigger("stations_station"),
            # A station that moves takes its reports' township code with it (the reports'
            # order key, ServiceReport.region_code).
            pgtrigger.Trigger(
                name="stations_station_moves_reports",
                when=pgtrigger.After,
                operation=pgtrigger.UpdateOf("region_id"),
                condition=pgtrigger.Condition("OLD.region_id IS DISTINCT FROM NEW.region_id"),
                func=(
                    "UPDATE stations_servicereport SET region_code = g.code"
                    " FROM regions_region g WHERE g.id = NEW.region_id AND station_id = NEW.id;"
                    " RETURN NULL;"
                ),
            ),
        ]
        verbose_name = _("社工站")
        verbose_name_plural = _("社工站")
        ordering = ["region__code", "id"]
        permissions = [
            ("export_station", _("可以导出社工站")),
            ("unlock_month", _("可以解锁已锁定月份")),
            ("review_report", _("可以审核服务月报")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(closed_on__isnull=True),
                name="stations_station_one_active_per_township",
                violation_error_message=_("该乡镇（街道）已有一个未撤销的社工站。"),
            ),
        ]

    def __str__(self):
        return self.name


# The changes' spans, recomputed for the stations a statement touched: each change ends the
# day the station's next change takes effect. Built from constants only.
SPANS = (
    "UPDATE stations_stationstatuschange c SET ends_on = n.next"
    " FROM (SELECT id, LEAD(effective_on) OVER ("
    "PARTITION BY station_id ORDER BY effective_on) AS next"
    " FROM stations_stationstatuschange WHERE station_id IN ({stations})) n"
    " WHERE c.id = n.id AND c.ends_on IS DISTINCT FROM n.next;"
)


def span_triggers() -> list[pgtrigger.Trigger]:
    """For ``StationStatusChange.Meta.triggers``: ``ends_on`` kept by the database, whatever
    writes the changes (the service, a bulk load, a migration), in any order. An update
    recomputes only when a change moved (its station or its day), so that the trigger's own
    update of ``ends_on`` ends there."""
    moved = (
        "FROM was JOIN now ON now.id = was.id"
        " WHERE (was.station_id, was.effective_on) IS DISTINCT FROM"
        " (now.station_id, now.effective_on)"
    )
    added = SPANS.format(stations="SELECT station_id FROM added")
    removed = SPANS.format(stations="SELECT station_id FROM removed")
    both = f"SELECT was.station_id {moved} UNION SELECT now.station_id {moved}"
    return [
        # A change moved to another station or day is open until its new span is worked out
        # at the statement's end, so that its old end never stands before its new day.
        pgtrigger.Trigger(
            name="stations_status_span_reopened",
            when=pgtrigger.Before,
            operation=pgtrigger.UpdateOf("station_id", "effective_on"),
            condition=pgtrigger.Condition(
                "(OLD.station_id IS DISTINCT FROM NEW.station_id"
                " OR OLD.effective_on IS DISTINCT FROM NEW.effective_on)"
            ),
            func="NEW.ends_on := NULL; RETURN NEW;",
        ),
        pgtrigger.Trigger(
            name="stations_status_spans_added",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="added"),
            func=f"{added} RETURN NULL;",
        ),
        pgtrigger.Trigger(
            name="stations_status_spans_removed",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Delete,
            referencing=pgtrigger.Referencing(old="removed"),
            func=f"{removed} RETURN NULL;",
        ),
        pgtrigger.Trigger(
            name="stations_status_spans_moved",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Update,
            referencing=pgtrigger.Referencing(old="was", new="now"),
            func=f"IF EXISTS (SELECT 1 {moved}) THEN {SPANS.format(stations=both)} END IF;"
            " RETURN NULL;",
        ),
    ]


# The span's end is derived from the next change, so it is no event of its own.
@pghistory.track(exclude=["ends_on"])
class StationStatusChange(models.Model):
    """One dated change of a station's status; the history is the source of truth. The
    status holds from ``effective_on`` to the day before ``ends_on`` (the next change's
    day; open while none follows)."""

    station = models.ForeignKey(
        Station, verbose_name=_("社工站"), on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("状态"), max_length=12, choices=StationStatus.choices)
    effective_on = models.DateField(_("生效日期"))
    # The next change's day, kept by the database (``span_triggers``): "the status on a day"
    # and "operating in a month" are one pass over the spans that meet it, not a search of
    # each station's changes for the latest before the day.
    ends_on = models.DateField(
        _("失效日期"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("由下一条状态记录自动填写。"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        # Figures read from this table are kept until it changes (association.changes).
        triggers = [changes.trigger("stations_stationstatuschange"), *span_triggers()]
        verbose_name = _("社工站状态记录")
        verbose_name_plural = _("社工站状态记录")
        ordering = ["station_id", "effective_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "effective_on"],
                name="stations_status_one_per_day",
                violation_error_message=_("同一天只能登记一条状态变化。"),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("effective_on")),
                name="stations_status_span_forward",
                violation_error_message=_("失效日期须晚于生效日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.effective_on} {self.get_status_display()}"


@pghistory.track()
class ChecklistEntry(models.Model):
    """One item of the “五有” build checklist of a station, with its evidence."""

    station = models.ForeignKey(
        Station, verbose_name=_("社工站"), on_delete=models.CASCADE, related_name="checklist"
    )
    item = models.CharField(_("项目"), max_length=12, choices=ChecklistItem.choices)
    is_met = models.BooleanField(_("已达标"), default=False)
    evidence = models.FileField(
        _("佐证材料"), upload_to="stations/evidence/%Y/", blank=True, max_length=200
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    checked_on = models.DateField(_("核查日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("五有核查项")
        verbose_name_plural = _("五有核查项")
        ordering = ["station_id", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "item"],
                name="stations_checklist_unique",
                violation_error_message=_("该社工站已有此核查项。"),
            )
        ]

    def __str__(self):
        return self.get_item_display()


@pghistory.track()
class ServiceContract(models.Model):
    """A government purchase-of-service contract (政府购买服务合同) that funds a station."""

    station = models.ForeignKey(
        Station, verbose_name=_("社工站"), on_delete=models.CASCADE, related_name="contracts"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    purchaser = models.CharField(_("购买方"), max_length=100, help_text=_("如：禹州市民政局。"))
    amount = models.DecimalField(_("合同金额（元）"), max_digits=14, decimal_places=2)
    starts_on = models.DateField(_("服务期起"))
    ends_on = models.DateField(_("服务期止"))
    number = models.CharField(_("合同编号"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("购买服务合同")
        verbose_name_plural = _("购买服务合同")
        ordering = ["station_id", "-year", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="stations_contract_period",
                violation_error_message=_("服务期止不能早于服务期起。"),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="stations_contract_amount",
                violation_error_message=_("合同金额不能为负数。"),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.purchaser}"


class StaffAssignmentQuerySet(models.QuerySet):
    def current(self, on=None):
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))


# Whether the assignment's worker holds a professional qualification, whatever a statement
# wrote there: the worker's (migration 0011 has the worker's side, on members_socialworker).
CERTIFIED = (
    "NEW.certified := COALESCE((SELECT w.qualification <> 'none'"  # Qualification.NONE
    " FROM members_socialworker w WHERE w.id = NEW.worker_id), false);"
    " RETURN NEW;"
)


# Whether the worker is certified is the worker's fact, copied here for the staffing counts:
# a change of qualification rewrites it on the assignments without making each an event.
@pghistory.track(exclude=["certified"])
class StaffAssignment(models.Model):
    """A social worker assigned to a station, with a role and dates."""

    station = models.ForeignKey(
        Station, verbose_name=_("社工站"), on_delete=models.CASCADE, related_name="assignments"
    )
    worker = models.ForeignKey(
        "members.SocialWorker",
        verbose_name=_("社会工作者"),
        on_delete=models.PROTECT,
        related_name="station_assignments",
    )
    role = models.CharField(_("岗位"), max_length=10, choices=StaffRole.choices)
    starts_on = models.DateField(_("到岗日期"))
    ends_on = models.DateField(_("离岗日期"), null=True, blank=True)
    # The worker holds a professional qualification (助理社会工作师 or above), kept by the
    # database (``CERTIFIED`` above, and the workers' trigger of migration 0011): the
    # coverage counts a station's certified staff from the assignments alone, not joined to
    # 25,000 workers (at province scale the coverage query 19.4 → 13.5 ms).
    certified = models.BooleanField(_("持证"), default=False, editable=False)

    objects = StaffAssignmentQuerySet.as_manager()

    class Meta:
        # Figures read from this table are kept until it changes (association.changes).
        triggers = [
            changes.trigger("stations_staffassignment"),
            pgtrigger.Trigger(
                name="stations_assignment_certified",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.UpdateOf("worker_id", "certified"),
                func=CERTIFIED,
            ),
        ]
        verbose_name = _("驻站人员")
        verbose_name_plural = _("驻站人员")
        ordering = ["station_id", "role", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="stations_assignment_period",
                violation_error_message=_("离岗日期不能早于到岗日期。"),
            ),
            models.UniqueConstraint(
                fields=["station", "worker"],
                condition=Q(ends_on__isnull=True),
                name="stations_assignment_one_open",
                violation_error_message=_("该社工已在本站在岗。"),
            ),
            models.UniqueConstraint(
                fields=["station"],
                condition=Q(ends_on__isnull=True, role="head"),
                name="stations_assignment_one_head",
                violation_error_message=_("一个社工站同时只能有一名站长。"),
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.starts_on}"


class BuildTarget(models.Model):
    """A county's yearly build target: stations operating by a date (建设计划)."""

    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("县（市、区）"),
        on_delete=models.PROTECT,
        related_name="station_targets",
        limit_choices_to={"level": "county"},
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    due_on = models.DateField(_("完成时限"))
    target_operating = models.PositiveSmallIntegerField(_("目标运营站点数"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        # Figures read from this table are kept until it changes (association.changes).
        triggers = [changes.trigger("stations_buildtarget")]
        verbose_name = _("建设计划")
        verbose_name_plural = _("建设计划")
        ordering = ["year", "county__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year"],
                name="stations_target_unique",
                violation_error_message=_("该县（市、区）本年度已有建设目标。"),
            )
        ]

    def __str__(self):
        return f"{self.year}: {self.target_operating}"


@pghistory.track()
class CountyReviewer(models.Model):
    """A user of a county's civil-affairs bureau who reviews the county's station reports."""

    county = models.ForeignKey(
        "regions.Region",
        verbose_name=_("县（市、区）"),
        on_delete=models.CASCADE,
        related_name="station_reviewers",
        limit_choices_to={"level": "county"},
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="station_reviews",
    )

    class Meta:
        verbose_name = _("县级审核人")
        verbose_name_plural = _("县级审核人")
        ordering = ["county_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "user"],
                name="stations_reviewer_unique",
                violation_error_message=_("该用户已是本县审核人。"),
            )
        ]

    def __str__(self):
        return f"{self.county_id}/{self.user_id}"
