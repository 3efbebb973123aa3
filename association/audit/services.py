from __future__ import annotations

from .models import AccessLog


def access_record(*, user, obj, action: str, reason: str = "", request=None) -> AccessLog:
    """Write one access-log entry for a read of ``obj`` by ``user``."""
    meta = obj._meta
    return AccessLog.objects.create(
        user=user,
        action=action,
        object_type=meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        reason=reason,
        path=request.path[:500] if request is not None else "",
        ip=request.META.get("REMOTE_ADDR") if request is not None else None,
    )
