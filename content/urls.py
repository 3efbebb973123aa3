from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import views
from .feeds import NewsFeed
from .sitemaps import SITEMAPS

app_name = "content"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("feed/", NewsFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("disclosure/", views.disclosure, name="disclosure"),
    path("directory/", views.directory, name="directory"),
    path("stations/", views.stations, name="stations"),
    path("stories/", views.story_list, name="story_list"),
    path("stories/<int:pk>/", views.story_detail, name="story_detail"),
    path("verify/", views.verify, name="verify"),
    path("a/<str:slug>/", views.article_detail, name="article_detail"),
    path("a/<str:slug>/cover/", views.cover, name="cover"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    # Notices received, and their receipts
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.delivery_detail, name="delivery_detail"),
    path("inbox/<int:pk>/file/", views.delivery_file, name="delivery_file"),
    path("receipts/", views.notice_list, name="notice_list"),
    path("receipts/<int:pk>/", views.notice_receipts, name="notice_receipts"),
    path("receipts/<int:pk>/remind/", views.notice_remind, name="notice_remind"),
    path("receipts/<int:pk>/replies.zip", views.notice_export, name="notice_export"),
    path("<str:section>/", views.article_list, name="article_list"),
]
