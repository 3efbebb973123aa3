from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from content import views as content_views
from members import views as members_views

from . import views

admin.site.site_header = _("许昌市社会工作行业协会 管理后台")
admin.site.site_title = _("协会管理后台")
admin.site.index_title = _("协会数据管理")
# The admin login goes through allauth: its rate limits and two-factor authentication apply.
admin.autodiscover()
admin.site.login = secure_admin_login(admin.site.login)
# A database outage answers 503 with a maintenance page (views.server_error).
handler500 = "association.views.server_error"

urlpatterns = [
    # Visitors see the association's public site; signed-in users their portal home.
    path("", content_views.portal_home, name="home"),
    path("site/", include("content.urls")),
    path("robots.txt", content_views.robots, name="robots"),
    path("health/", views.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("association.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("notifications/", include("association.notifications.urls")),
    path("reports/", include("association.reports.urls")),
    path("members/", include("members.urls")),
    path("verify/<str:code>/", members_views.verify, name="verify"),
    path("stations/", include("stations.urls")),
    path("projects/", include("projects.urls")),
    path("governance/", include("association.governance.urls")),
    path("elections/", include("association.elections.urls")),
    path("finance/", include("association.finance.urls")),
    path("admin/", admin.site.urls),
]
