from django.urls import path

from . import views

app_name = "elections"

urlpatterns = [
    path("", views.election_list, name="election_list"),
    path("<int:pk>/", views.election_detail, name="election_detail"),
    path("<int:pk>/action/", views.election_action, name="election_action"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/tracking-codes/", views.tracking_codes, name="tracking_codes"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/results.pdf", views.results_pdf, name="results_pdf"),
    path("<int:pk>/batches/", views.batch_list, name="batch_list"),
    path("batches/<int:pk>/enter/", views.batch_enter, name="batch_enter"),
    path("batches/<int:pk>/confirm/", views.batch_confirm, name="batch_confirm"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
    path("meetings/<int:pk>/filing-pack.zip", views.filing_pack, name="filing_pack"),
]
