"""The default catalogues of service areas and kinds of work (data, not code).

Seeded by migration 0002 and again after every ``migrate``/``flush`` (post_migrate), so a
fresh or flushed database always has them; staff add, rename or retire entries in the
admin, and those changes are never overwritten (only missing codes are created).
"""

AREAS = [
    ("assistance", "社会救助"),
    ("elderly", "养老服务"),
    ("children", "儿童关爱"),
    ("disability", "残疾人服务"),
    ("governance", "社区治理"),
    ("affairs", "社会事务"),
]
KINDS = [
    ("casework", "个案"),
    ("group", "小组"),
    ("community", "社区活动"),
    ("home_visit", "入户走访"),
    ("outreach", "政策宣传"),
]


def ensure_catalogue(service_area, work_kind, using="default") -> None:
    for model, entries in ((service_area, AREAS), (work_kind, KINDS)):
        known = set(model.objects.using(using).values_list("code", flat=True))
        model.objects.using(using).bulk_create(
            model(code=code, name=name, order=order)
            for order, (code, name) in enumerate(entries, start=1)
            if code not in known
        )


def ensure_catalogue_after_migrate(sender=None, using="default", **kwargs) -> None:
    from .models import ServiceArea, WorkKind

    ensure_catalogue(ServiceArea, WorkKind, using=using)
