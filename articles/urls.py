from django.urls import path

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("tag/<slug:slug>/", views.TagArticleListView.as_view(), name="tag"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
