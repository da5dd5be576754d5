from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """The clinic's health articles: the way most patients arrive."""

    name = "articles"
    verbose_name = "Articles"
