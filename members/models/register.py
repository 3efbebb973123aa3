"""The social workers by county and qualification, and the certified ones by the year of
their certificate, kept by the database as they change.

The members overview showed them counted over every worker, joined to their employer's
region and their own with their parents (17 ms for 25,000 workers at province scale, the
first view after any change to a worker). The triggers here keep the count as workers are
added, changed and removed, and as an organisation moves: a worker's county is their
employer's, or else their own region's (the township's county, or the county itself), by
id; the overview joins the names to the few hundred rows. A change to the regions' levels
or parents, which moves whole areas, counts every worker again (migration 0013 puts that
trigger on ``regions_region``, whose app knows nothing of members).

The certificates by year were counted by day from an index and summed into years in
Python (2,500 days for 22,000 certified workers: 4–5 ms of the register's 9 at province
scale); the same triggers keep them by year (``CertificateCount``), moved when a worker's
qualification or certificate date changes. Regions do not enter into them.

``tests/members/test_register_kept.py`` holds both kept counts equal to the counts over the
workers after each kind of change.
"""

import pgtrigger
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Qualification

# The county of the workers in ``{rows}`` (a worker table or a transition table of it),
# their employers' regions read from ``{organisations}``, grouped with their qualification,
# times ``{sign}``.
COUNTED = """
SELECT COALESCE(CASE r.level WHEN 'township' THEN r.parent_id WHEN 'county' THEN r.id END,
                CASE w.level WHEN 'township' THEN w.parent_id WHEN 'county' THEN w.id END, 0),
       s.qualification, {sign} * COUNT(*)
FROM {rows} s
LEFT JOIN {organisations} o ON o.id = s.employer_id
LEFT JOIN regions_region r ON r.id = o.region_id
LEFT JOIN regions_region w ON w.id = s.region_id
{where}
GROUP BY 1, 2
"""
_ADD = (
    "INSERT INTO members_registercount (county_id, qualification, workers) {counted}"
    " ON CONFLICT (county_id, qualification)"
    " DO UPDATE SET workers = members_registercount.workers + EXCLUDED.workers;"
)
# Every worker counted again: the regions' trigger in migration 0013 runs it (a test holds
# the two in step). These statements are built from the constants above only, never from a
# value.
RECOUNT = "DELETE FROM members_registercount; " + _ADD.format(  # noqa: S608
    counted=COUNTED.format(
        sign="1", rows="members_socialworker", organisations="members_organisation", where=""
    )
)


def _add(sign: str, rows: str, where: str = "", organisations="members_organisation") -> str:
    counted = COUNTED.format(sign=sign, rows=rows, where=where, organisations=organisations)
    return _ADD.format(counted=counted)


# The certified workers of ``{rows}`` (a qualification, and a certificate date) by the year
# of their certificate, times ``{sign}``, added to the kept count. Built from constants only.
CERTIFIED = (
    "INSERT INTO members_certificatecount (year, workers)"
    " SELECT EXTRACT(YEAR FROM s.certificate_date)::integer, {sign} * COUNT(*)"
    " FROM {rows} s"
    " WHERE s.qualification <> 'none'"  # Qualification.NONE
    " AND s.certificate_date IS NOT NULL{where}"
    " GROUP BY 1"
    " ON CONFLICT (year)"
    " DO UPDATE SET workers = members_certificatecount.workers + EXCLUDED.workers;"
)
# Every certified worker counted again: migration 0014 runs a frozen copy (a test holds the two
# in step).
RECOUNT_CERTIFIED = "DELETE FROM members_certificatecount; " + CERTIFIED.format(  # noqa: S608
    sign="1", rows="members_socialworker", where=""
)


def _certified(sign: str, rows: str, where: str = "") -> str:
    return CERTIFIED.format(sign=sign, rows=rows, where=where)


def _changed(*columns: str) -> str:
    """The workers of an update whose ``columns`` changed (``was`` and ``now``: the
    statement's transition tables). Column names from this module only."""
    was = ", ".join(f"was.{column}" for column in columns)
    now = ", ".join(f"now.{column}" for column in columns)
    return (
        "s.id IN (SELECT was.id FROM was JOIN now ON now.id = was.id"  # noqa: S608
        f" WHERE ({was}) IS DISTINCT FROM ({now}))"
    )


def worker_triggers() -> list[pgtrigger.Trigger]:
    """For ``SocialWorker.Meta.triggers``: its rows counted in and out as they come and go."""
    moved = " WHERE " + _changed("employer_id", "region_id", "qualification")
    recertified = " AND " + _changed("qualification", "certificate_date")
    return [
        pgtrigger.Trigger(
            name="members_socialworker_counted_in",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="added"),
            func=_add("1", "added") + _certified("1", "added") + " RETURN NULL;",
        ),
        pgtrigger.Trigger(
            name="members_socialworker_counted_out",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Delete,
            referencing=pgtrigger.Referencing(old="removed"),
            func=_add("(-1)", "removed") + _certified("(-1)", "removed") + " RETURN NULL;",
        ),
        pgtrigger.Trigger(
            name="members_socialworker_counted_moved",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Update,
            referencing=pgtrigger.Referencing(old="was", new="now"),
            func=_add("(-1)", "was", moved)
            + _add("1", "now", moved)
            + _certified("(-1)", "was", recertified)
            + _certified("1", "now", recertified)
            + " RETURN NULL;",
        ),
        pgtrigger.Trigger(
            name="members_socialworker_counted_none",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Truncate,
            func="DELETE FROM members_registercount; DELETE FROM members_certificatecount;"
            " RETURN NULL;",
        ),
    ]


def organisation_triggers() -> list[pgtrigger.Trigger]:
    """For ``Organisation.Meta.triggers``: an organisation that moves to another region
    moves its workers' county (their rows are counted out with the old region, in again
    with the new)."""
    # The workers of the organisations whose region changed.
    staff = (
        "(SELECT s.* FROM members_socialworker s JOIN was ON was.id = s.employer_id"
        " JOIN now ON now.id = was.id WHERE was.region_id IS DISTINCT FROM now.region_id)"
    )
    return [
        pgtrigger.Trigger(
            name="members_organisation_counted_moved",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Update,
            referencing=pgtrigger.Referencing(old="was", new="now"),
            # Out with the region their employer had, in with the one it has.
            func=_add("(-1)", staff, organisations="was") + _add("1", staff) + " RETURN NULL;",
        ),
    ]


class RegisterCount(models.Model):
    """How many social workers of ``qualification`` the county ``county_id`` has (0: no
    county known), kept by the database's triggers."""

    county_id = models.BigIntegerField(_("县（市、区）"))
    qualification = models.CharField(_("资格等级"), max_length=20, choices=Qualification.choices)
    workers = models.IntegerField(_("人数"))

    class Meta:
        verbose_name = _("社会工作者分县统计")
        verbose_name_plural = _("社会工作者分县统计")
        constraints = [
            models.UniqueConstraint(
                fields=["county_id", "qualification"], name="members_registercount_one"
            ),
        ]

    def __str__(self):
        return f"{self.county_id} {self.get_qualification_display()} {self.workers}"


class CertificateCount(models.Model):
    """How many workers with a qualification got their certificate in ``year``, kept by the
    database's triggers on the workers."""

    year = models.IntegerField(_("年份"), unique=True)
    workers = models.IntegerField(_("人数"))

    class Meta:
        verbose_name = _("持证社会工作者分年统计")
        verbose_name_plural = _("持证社会工作者分年统计")

    def __str__(self):
        return f"{self.year} {self.workers}"
