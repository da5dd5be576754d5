"""The clinic site: settings, URLs, the Celery app and the site's own pages."""

from .celery import app as celery_app

__all__ = ("celery_app",)
