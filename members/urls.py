from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/organisation/", views.apply_organisation, name="apply_organisation"),
    path("apply/individual/", views.apply_individual, name="apply_individual"),
    path("memberships/", views.membership_list, name="membership_list"),
    path("memberships/<int:pk>/", views.membership_detail, name="membership_detail"),
    path("memberships/<int:pk>/renew/", views.membership_renew, name="membership_renew"),
    path(
        "memberships/<int:pk>/certificate/",
        views.membership_certificate,
        name="membership_certificate",
    ),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<int:pk>/change-request/",
        views.organisation_change_request,
        name="organisation_change_request",
    ),
    path("organisations/<int:pk>/roster/", views.organisation_roster, name="organisation_roster"),
    path(
        "organisations/<int:pk>/representatives/",
        views.organisation_representatives,
        name="organisation_representatives",
    ),
    path("representatives/<int:pk>/end/", views.representative_end, name="representative_end"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("me/", views.worker_profile, name="worker_profile"),
    path("me/edit/", views.worker_edit, name="worker_edit"),
    path("me/education/", views.education_list, name="education_list"),
    path("education/<int:pk>/evidence/", views.education_evidence, name="education_evidence"),
    path("workers/<int:pk>/", views.worker_detail, name="worker_detail"),
    path("workers/<int:pk>/reveal/", views.worker_reveal_id, name="worker_reveal_id"),
    path("overview/", views.overview, name="overview"),
    path(
        "organisations/<int:pk>/directory/",
        views.organisation_directory,
        name="organisation_directory",
    ),
]
