from .models import Notification, NotificationPreference


def notification_list(*, user):
    return Notification.objects.visible_to(user)


def notification_get_for_user(*, user, pk) -> Notification:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Notification.objects.visible_to(user), pk=pk)


def unread_count(*, user) -> int:
    return Notification.objects.visible_to(user).unread().count()


def unread_count_of_row():
    """:func:`unread_count` as an expression on a user's row (the menu's one query)."""
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    unread = (
        Notification.objects.unread()
        .filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread), 0)


def preferences_of(*, user) -> dict:
    """The user's stored channels per kind (kinds without a row use the defaults)."""
    from .services import Channels

    return {
        p.kind: Channels(p.in_app, p.email, p.digest)
        for p in NotificationPreference.objects.filter(user=user)
    }
