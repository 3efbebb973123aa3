from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("runs/", views.run_list, name="run_list"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("runs/<int:pk>/download/", views.run_download, name="run_download"),
    path("<slug:slug>/", views.run_create, name="run_create"),
]
