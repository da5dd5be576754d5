"""The CSS and JS a page makes the browser download, measured compressed as WhiteNoise serves it.

    DATABASE_URL=... .venv/bin/python bench/page_weight.py [/book/ ...]

Renders each page through Django's test client, finds the stylesheets and scripts it links to
(print style sheets included: browsers download them too), reads each file from the static
sources and compresses it as ``CompressedManifestStaticFilesStorage`` does (gzip level 9, and
Brotli). ``tests/clinic/test_page_weight.py`` holds the booking page to its budget with the same
functions.
"""

import gzip
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ASSET = re.compile(
    r"""<(?:link[^>]*\brel="stylesheet"[^>]*\bhref|script[^>]*\bsrc)="(?P<url>[^"]+)\"""",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Weight:
    path: str
    raw: int
    gzip: int
    brotli: int


def page_assets(html: str, *, static_url: str) -> list[str]:
    """Static paths (below ``static_url``) of the style sheets and scripts ``html`` links to."""
    paths = []
    for match in ASSET.finditer(html):
        url = match["url"].split("?", 1)[0]
        if url.startswith(static_url):
            paths.append(url[len(static_url) :])
    return paths


def weigh(path: str) -> Weight:
    """``path``'s size raw, gzipped and brotli-compressed, from the static source folders."""
    import brotli
    from django.contrib.staticfiles import finders

    found = finders.find(_unhashed(path))
    if found is None:
        raise FileNotFoundError(path)
    data = Path(found).read_bytes()
    return Weight(
        path=path,
        raw=len(data),
        gzip=len(gzip.compress(data, compresslevel=9, mtime=0)),
        brotli=len(brotli.compress(data)),
    )


def _unhashed(path: str) -> str:
    # A manifest name like css/site.3f2a9c1b7d4e.css comes from css/site.css.
    return re.sub(r"\.[0-9a-f]{12}(\.[a-z0-9]+)$", r"\1", path)


def main(urls: list[str]) -> None:
    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    django.setup()
    from django.conf import settings
    from django.test import Client

    client = Client()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        weights = [
            weigh(path) for path in page_assets(response.text, static_url=settings.STATIC_URL)
        ]
        print(f"{url}")
        for weight in weights:
            print(f"  {weight.path:55} {weight.raw:7,} {weight.gzip:7,} {weight.brotli:7,}")
        print(
            f"  {'total (raw, gzip, brotli bytes)':55} {sum(w.raw for w in weights):7,} "
            f"{sum(w.gzip for w in weights):7,} {sum(w.brotli for w in weights):7,}"
        )


if __name__ == "__main__":
    main(sys.argv[1:] or ["/book/", "/contact/", "/assessment/"])
