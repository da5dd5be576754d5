from django.urls import path

from clinic.page_cache import PAGE_NUMBER, cache_public_page

from . import feeds, views

app_name = "articles"

urlpatterns = [
    path(
        "",
        cache_public_page(views.ArticleListView.as_view(), params={"page": PAGE_NUMBER}),
        name="list",
    ),
    path("feed/", cache_public_page(feeds.LatestArticlesFeed()), name="feed"),
    path(
        "tag/<slug:slug>/",
        cache_public_page(views.TagArticleListView.as_view(), params={"page": PAGE_NUMBER}),
        name="tag",
    ),
    path("<slug:slug>/", cache_public_page(views.article_detail), name="detail"),
]
