from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    """The clinic's health articles (Wagtail pages): the way most patients arrive."""

    name = "articles"
    verbose_name = "Articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
        from wagtail.models import PageLogEntry
        from wagtail.signals import page_published, page_slug_changed, page_unpublished

        from clinic.page_cache import page_cache_invalidate

        from . import signals
        from .models import ArticlePage, Tag

        for model in (ArticlePage, Tag):
            post_save.connect(page_cache_invalidate, sender=model, dispatch_uid=f"pc-save-{model}")
            post_delete.connect(page_cache_invalidate, sender=model, dispatch_uid=f"pc-del-{model}")
        m2m_changed.connect(
            page_cache_invalidate, sender=ArticlePage.tags.through, dispatch_uid="pc-article-tags"
        )
        page_published.connect(signals.on_published, sender=ArticlePage, dispatch_uid="art-pub")
        page_unpublished.connect(
            page_cache_invalidate, sender=ArticlePage, dispatch_uid="pc-article-unpublished"
        )
        page_slug_changed.connect(signals.on_slug_changed, sender=ArticlePage, dispatch_uid="slug")
        post_save.connect(signals.on_wagtail_log, sender=PageLogEntry, dispatch_uid="art-audit")
        post_migrate.connect(signals.on_post_migrate, dispatch_uid="articles-roles")

        from django.db.models.signals import pre_save
        from wagtail.images import get_image_model

        from .images import strip_uploaded_image_metadata

        pre_save.connect(
            strip_uploaded_image_metadata, sender=get_image_model(), dispatch_uid="art-exif"
        )
