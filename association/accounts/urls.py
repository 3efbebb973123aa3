from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("2fa/enrol/", views.mfa_enrol, name="mfa_enrol"),
    path("2fa/enrol/<str:secret>/", views.mfa_enrol_link, name="mfa_enrol_link"),
]
