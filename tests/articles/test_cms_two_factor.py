"""Nobody reaches any page of Wagtail's admin (/cms/) without a verified second factor."""

import re

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import login_staff

from .factories import manager_user, practitioner_user

pytestmark = pytest.mark.django_db

CMS = f"/{settings.WAGTAIL_ADMIN_URL}"
LOGIN = f"/{settings.ADMIN_URL}login/"
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_SAMPLES = {"int": "1", "path": "1", "str": "1", "slug": "x", "uuid": "0" * 32}


def _cms_paths() -> list[str]:
    from articles import cms_urls

    def walk(patterns, prefix: str) -> list[str]:
        found = []
        for pattern in patterns:
            route = str(pattern.pattern)
            if route.startswith("^"):
                route = re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
                route = re.sub(r"[\\^$?()|+*\[\]]", "", route)
            route = _CONVERTER.sub(lambda m: _SAMPLES.get(m.group(1) or "str", "1"), route)
            if isinstance(pattern, URLResolver):
                found += walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                found.append(prefix + route)
        return found

    get_resolver()  # the URLconf is loaded, so the guard is in place
    return sorted(set(walk(cms_urls.urlpatterns, CMS)))


CMS_PATHS = _cms_paths()


def test_the_enumeration_covers_the_cms():
    assert len(CMS_PATHS) > 100
    assert f"{CMS}pages/1/edit/" in CMS_PATHS and f"{CMS}images/" in CMS_PATHS


@pytest.fixture
def password_only_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="boss", email="boss@example.com")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", CMS_PATHS)
def test_no_cms_page_opens_without_a_verified_second_factor(password_only_client, path):
    response = password_only_client.get(path)
    assert response.status_code in (302, 403, 404, 405), path
    if response.status_code == 302:
        assert response["Location"].startswith(LOGIN), path


def test_roles_in_the_cms(client, django_user_model):
    receptionist = django_user_model.objects.create_user(username="desk", is_staff=True)
    from django.contrib.auth.models import Group

    from clinic.roles import Role

    receptionist.groups.add(Group.objects.get(name=Role.RECEPTIONIST))
    login_staff(client, receptionist)
    assert client.get(CMS).status_code in (302, 403)
    assert client.get(CMS).get("Location", "") != CMS
    client.logout()
    for user in (manager_user(), practitioner_user()):
        login_staff(client, user)
        assert client.get(CMS).status_code == 200
        client.logout()
