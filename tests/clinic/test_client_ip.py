import pytest
from django.test import RequestFactory

from clinic.client_ip import client_ip


@pytest.fixture
def rf():
    return RequestFactory()


def test_without_a_proxy_the_header_is_ignored(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.9"


def test_behind_one_proxy_the_last_hop_is_the_client(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


@pytest.mark.parametrize("spoofed", ["1.1.1.1", "1.1.1.1, 2.2.2.2", "garbage, , 3.3.3.3"])
def test_a_spoofed_forwarded_for_does_not_change_the_client(rf, settings, spoofed):
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy appends the address it saw to whatever the client sent.
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{spoofed}, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"


def test_two_proxies(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.7, 10.0.0.2"
    )
    assert client_ip(request) == "198.51.100.7"


def test_a_request_that_skipped_the_proxies_is_keyed_on_its_own_address(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="1.1.1.1")
    assert client_ip(request) == "10.0.0.3"
