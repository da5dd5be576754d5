"""Bytes a 390 px phone downloads for an article page, by kind, and the hero picture (issue 16).

Serves the site with gunicorn on PostgreSQL with production settings (as ``article_pages.py``)
and loads one demo article in Chromium at 390 x 844, counting every response body. Run from
the project root:

    .venv/bin/python bench/article_bytes.py [--slug lower-back-pain-and-tight-hamstrings]

Needs PostgreSQL on 127.0.0.1:5432 and Chromium (``CHROMIUM_PATH``, default /usr/bin/chromium).
"""

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import bench_env, gunicorn, manage, prepare_database


def measure(url: str) -> dict:
    from playwright.sync_api import sync_playwright

    sizes: dict[str, int] = defaultdict(int)
    images: list[dict] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu"],
        )
        page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)

        def on_response(response) -> None:
            try:
                size = len(response.body())
            except Exception:
                return
            kind = response.request.resource_type
            sizes[kind] += size
            if kind == "image":
                images.append({"url": response.url.split("/", 3)[-1], "bytes": size})

        page.on("response", on_response)
        page.goto(url, wait_until="networkidle")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        browser.close()
    return {
        "total_bytes": sum(sizes.values()),
        "by_kind": dict(sizes),
        "images": images,
        "page_scroll_width_px": scroll_width,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--slug", default="lower-back-pain-and-tight-hamstrings")
    args = parser.parse_args()
    env = bench_env()
    prepare_database(env)
    manage(env, "seed_demo")
    with gunicorn(env) as base:
        result = measure(f"{base}/articles/{args.slug}/")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
