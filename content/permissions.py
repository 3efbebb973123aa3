"""Who may do what with content and notices."""

from association.accounts.choices import Role
from association.accounts.roles import is_association_staff

ROLE_PERMISSIONS = {
    Role.STAFF: [
        "content.view_article",
        "content.add_article",
        "content.change_article",
        "content.view_attachment",
        "content.add_attachment",
        "content.change_attachment",
        "content.delete_attachment",
        "content.view_distribution",
        "content.add_distribution",
        "content.view_delivery",
        "content.view_recipientlist",
        "content.add_recipientlist",
        "content.change_recipientlist",
        "content.delete_recipientlist",
    ],
    Role.OFFICER: [
        "content.view_article",
        "content.change_article",
        "content.view_attachment",
        "content.view_distribution",
        "content.view_delivery",
    ],
}


def can_edit_content(user) -> bool:
    return is_association_staff(user)


def can_answer(user, delivery) -> bool:
    """Only the recipient answers a notice they received."""
    return user.is_authenticated and delivery.user_id == user.pk
