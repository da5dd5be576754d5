"""Per-app declaration modules, found the way ``django.contrib.admin`` finds ``admin.py``."""

import sys
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import autodiscover_modules


def app_modules(name: str) -> list[ModuleType]:
    """Each installed app's ``<app>.<name>`` module, imported, in ``INSTALLED_APPS`` order."""
    autodiscover_modules(name)
    found = (sys.modules.get(f"{config.name}.{name}") for config in apps.get_app_configs())
    return [module for module in found if module is not None]
