"""Light pages: the booking page's CSS and JS within budget, hashed and served compressed
(Brotli and gzip), no Bootstrap JavaScript, and the icons browsers ask for."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bench.page_weight import page_assets, weigh
from tests.bookings.factories import ServiceFactory

# The booking page's style sheets and scripts, compressed, at most (issue 15: 57 KB before).
BUDGET_BYTES = 25_000


@pytest.fixture
def booking_page(db, client):
    service = ServiceFactory(slug="initial-consultation", name="Initial consultation")
    return client.get(reverse("bookings:slots", args=[service.slug])).text


def test_the_booking_pages_css_and_js_fit_the_budget(booking_page, settings):
    paths = page_assets(booking_page, static_url=settings.STATIC_URL)
    assert "css/bootstrap.min.css" in paths and "css/booking.css" in paths
    weights = [weigh(path) for path in paths]
    gzipped = sum(weight.gzip for weight in weights)
    brotli = sum(weight.brotli for weight in weights)
    assert gzipped <= BUDGET_BYTES, [(w.path, w.gzip) for w in weights]
    assert brotli < gzipped


def test_no_page_loads_bootstrap_javascript(booking_page, settings):
    scripts = [p for p in page_assets(booking_page, static_url=settings.STATIC_URL) if ".js" in p]
    assert scripts == ["js/site.js"]
    assert "data-bs-" not in booking_page


def test_collected_files_are_hashed_and_served_as_brotli_and_gzip(db, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)

    client = Client()  # a new client builds the middleware, which indexes STATIC_ROOT
    page = client.get(reverse("privacy")).text
    css = re.search(r'href="(/static/css/bootstrap\.min\.[0-9a-f]{12}\.css)"', page)
    assert css, "the page links to the hashed style sheet"
    name = css.group(1).removeprefix("/static/")
    assert (settings.STATIC_ROOT / f"{name}.br").exists()
    assert (settings.STATIC_ROOT / f"{name}.gz").exists()

    brotli = client.get(css.group(1), headers={"accept-encoding": "gzip, deflate, br"})
    assert brotli.status_code == 200
    assert brotli["Content-Encoding"] == "br"
    assert "immutable" in brotli["Cache-Control"]
    gzipped = client.get(css.group(1), headers={"accept-encoding": "gzip"})
    assert gzipped["Content-Encoding"] == "gzip"
    assert int(brotli["Content-Length"]) < int(gzipped["Content-Length"])


def test_favicon_and_web_app_icons(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file

    page = client.get(reverse("privacy")).text
    assert '<link rel="icon" href="/favicon.ico"' in page
    assert 'href="/static/icons/icon.svg" type="image/svg+xml"' in page
    assert '<link rel="apple-touch-icon" href="/static/icons/apple-touch-icon.png">' in page
    assert '<link rel="manifest" href="/site.webmanifest">' in page

    manifest = client.get("/site.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = json.loads(manifest.content)
    assert data["name"] and data["theme_color"] == "#0b5d66"
    sizes = {icon["sizes"] for icon in data["icons"]}
    assert {"192x192", "512x512", "any"} <= sizes
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]
