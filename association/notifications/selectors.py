from .models import Notification


def notification_list(*, user):
    return Notification.objects.visible_to(user)


def notification_get_for_user(*, user, pk) -> Notification:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Notification.objects.visible_to(user), pk=pk)


def unread_count(*, user) -> int:
    return Notification.objects.visible_to(user).unread().count()
