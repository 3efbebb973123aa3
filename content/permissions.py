"""Who may do what with content and notices."""

from association.accounts.choices import Role
from association.accounts.roles import has_role, is_association_staff

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


# Who reads items whose visibility is 仅会员 besides the association's own staff: the people
# of member organisations and of the stations the association serves, and the civil-affairs
# officials who supervise it. An applicant or an expert reads them only once admitted as an
# individual member (members.selectors.holds_individual_membership).
MEMBER_ROLES = (Role.ORG_ADMIN, Role.STATION_WORKER, Role.OFFICIAL)


def reads_members_content(user) -> bool:
    """Whether the user may read items visible to members only (仅会员)."""
    if not user.is_authenticated:
        return False
    if is_association_staff(user) or has_role(user, *MEMBER_ROLES):
        return True
    from members.selectors import holds_individual_membership

    return holds_individual_membership(user)


def can_edit_content(user) -> bool:
    return is_association_staff(user)


def can_answer(user, delivery) -> bool:
    """Only the recipient answers a notice they received."""
    return user.is_authenticated and delivery.user_id == user.pk
