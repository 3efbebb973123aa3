from django.urls import path

from . import views

app_name = "stations"

urlpatterns = [
    path("", views.station_list, name="station_list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("review/", views.review_list, name="review_list"),
    path("<int:pk>/", views.station_detail, name="station_detail"),
    path("<int:pk>/reports/", views.station_reports, name="station_reports"),
    path("<int:pk>/reports/start/", views.report_start, name="report_start"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/sync/", views.report_sync, name="report_sync"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("reports/<int:pk>/unlock/", views.report_unlock, name="report_unlock"),
    path("reports/<int:pk>/photos/", views.report_photo_add, name="report_photo_add"),
    path("photos/<int:pk>/", views.report_photo, name="report_photo"),
    path("bulk/", views.bulk_upload, name="bulk_upload"),
    path("bulk/template.xlsx", views.bulk_template, name="bulk_template"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path(
        "assessments/<int:round_pk>/stations/<int:pk>/score/",
        views.assessment_score,
        name="assessment_score",
    ),
]

urlpatterns += [
    path("completeness/", views.completeness, name="completeness"),
    path(
        "completeness/stations/<int:pk>/",
        views.completeness_station,
        name="completeness_station",
    ),
]
