"""Django's admin app, on the association's site (association/admin_site.py)."""

from django.contrib.admin.apps import AdminConfig


class AssociationAdminConfig(AdminConfig):
    default_site = "association.admin_site.AssociationAdminSite"
