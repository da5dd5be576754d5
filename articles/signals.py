"""Receivers wired in ``apps.py``: each calls a service."""

from clinic.page_cache import page_cache_invalidate

from .services import article_audit_from_wagtail, article_review_record, article_roles_sync


def on_published(sender, instance, revision=None, **kwargs) -> None:
    article_review_record(page=instance, revision=revision)
    page_cache_invalidate()


def on_wagtail_log(sender, instance, created=False, **kwargs) -> None:
    if created:
        article_audit_from_wagtail(entry=instance)


def _fully_migrated(using: str) -> bool:
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def on_post_migrate(sender, app_config=None, using="default", **kwargs) -> None:
    """After the last app's migrations, so bookings' roles exist and keep their Wagtail rights."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    configs = [config for config in apps.get_app_configs() if config.models_module is not None]
    if app_config is not configs[-1] or not _fully_migrated(using):
        return
    for config in configs:
        create_permissions(config, verbosity=0, using=using)
    from .services import article_index_ensure

    article_index_ensure()
    article_roles_sync()


def on_slug_changed(sender, instance, instance_before, **kwargs) -> None:
    """The old address of an article keeps working: a permanent redirect to the new one."""
    from wagtail.contrib.redirects.models import Redirect

    old_path = Redirect.normalise_path(instance_before.get_absolute_url())
    if old_path != Redirect.normalise_path(instance.get_absolute_url()):
        Redirect.objects.update_or_create(
            old_path=old_path,
            site=None,
            defaults={
                "redirect_page": instance,
                "is_permanent": True,
                "automatically_created": True,
            },
        )
