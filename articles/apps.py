from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """The clinic's health articles: the way most patients arrive."""

    name = "articles"
    verbose_name = "Articles"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from clinic.page_cache import page_cache_invalidate

        from .models import Article, Tag

        for model in (Article, Tag):
            post_save.connect(page_cache_invalidate, sender=model, dispatch_uid=f"pc-save-{model}")
            post_delete.connect(page_cache_invalidate, sender=model, dispatch_uid=f"pc-del-{model}")
        m2m_changed.connect(
            page_cache_invalidate, sender=Article.tags.through, dispatch_uid="pc-article-tags"
        )
