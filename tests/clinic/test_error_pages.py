"""The error pages a patient may meet: friendly, self-contained, never a stack trace."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

pytestmark = pytest.mark.django_db


def test_the_500_page_is_friendly_and_needs_no_context():
    response = server_error(RequestFactory().get("/anything/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Sorry, something went wrong on our side" in content
    assert "999" in content
    assert "Traceback" not in content


def test_the_404_page_offers_a_way_on(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "We can&#x27;t find that page" in content or "We can't find that page" in content
    assert 'href="/articles/"' in content


def test_the_429_page_explains_and_gives_the_phone_number(client, settings):
    from clinic.views import rate_limited

    response = rate_limited(RequestFactory().get("/contact/"))
    assert response.status_code == 429
    assert settings.CLINIC_PHONE in response.content.decode()
    api = rate_limited(RequestFactory().get("/api/slots/"))
    assert api.status_code == 429
    assert api["Content-Type"] == "application/json"
