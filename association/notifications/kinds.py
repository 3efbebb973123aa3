"""The kinds of notification: how each one's title, body and link are written.

A kind's templates live in ``templates/notifications/<kind>/``: ``title.txt`` and
``body.txt`` (plain text, rendered with the context given to ``notify``). Apps add
kinds by adding templates and a receiver; the registry below lists them so that a
typo in a kind fails loudly instead of sending an empty message.
"""

from django.utils.translation import gettext_lazy as _

KINDS = {
    "message": _("协会消息"),
}
