"""``{% admin_pending_work as pending %}``: the admin index's counts of pending work."""

from __future__ import annotations

from django import template

from association.todo import admin_pending_work as collect

register = template.Library()


@register.simple_tag(takes_context=True)
def admin_pending_work(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return collect(request.user)
