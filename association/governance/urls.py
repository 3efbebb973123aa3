from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("documents/", views.document_list, name="document_list"),
    path("documents/versions/<int:pk>/", views.version_detail, name="version_detail"),
    path("documents/versions/<int:pk>/diff/", views.version_diff, name="version_diff"),
    path("documents/versions/<int:pk>/pdf/", views.version_pdf, name="version_pdf"),
    path("council/", views.officers, name="officers"),
    path("council/history/", views.office_history, name="office_history"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/quorum/", views.meeting_quorum, name="meeting_quorum"),
    path("meetings/<int:pk>/action/", views.meeting_action, name="meeting_action"),
    path("meetings/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("meetings/<int:pk>/proxies/add/", views.proxy_add, name="proxy_add"),
    path("meetings/<int:pk>/motions/add/", views.motion_add, name="motion_add"),
    path("meetings/<int:pk>/door-code/", views.checkin_qr, name="checkin_qr"),
    path("attendees/<int:pk>/check-in/", views.attendee_check_in, name="attendee_check_in"),
    path("motions/<int:pk>/vote/", views.motion_vote, name="motion_vote"),
    path("motions/<int:pk>/roll-call/", views.motion_named, name="motion_named"),
    path("check-in/<str:token>/", views.checkin, name="checkin"),
]
