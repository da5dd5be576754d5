"""Throughput and latency of the article pages against a do-nothing view (issue 2).

Serves the site with gunicorn (2 workers) on PostgreSQL with production settings and loads it
from a second process with wrk. Run from the project root:

    REDIS_URL=redis://127.0.0.1:6379/9 .venv/bin/python bench/article_pages.py
    .venv/bin/python bench/article_pages.py --no-page-cache    # every request rendered

Needs PostgreSQL on 127.0.0.1:5432 and `wrk` (apt-get install wrk).
"""

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, bench_env, gunicorn, manage, prepare_database, wrk_available

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> dict:
    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return round(float(value) * UNITS[unit], 2)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--no-page-cache", action="store_true", help="render every request (the cost of a miss)"
    )
    args = parser.parse_args()
    if not wrk_available():
        sys.exit("wrk is not installed: apt-get install wrk")

    env = bench_env()
    if args.no_page_cache:
        env.update(PAGE_CACHE_SECONDS="0", PAGE_CACHE_LOCAL_SECONDS="0")
    prepare_database(env)
    manage(env, "seed_demo")
    slug = "lower-back-pain-and-tight-hamstrings"
    targets = {
        "ceiling (no-op view)": "/bench/noop/",
        "article list": "/articles/",
        "article page": f"/articles/{slug}/",
    }
    results = {}
    with gunicorn(env) as base:
        for name, path in targets.items():
            url = base + path
            # Warm up connections and caches before measuring.
            subprocess.run(["wrk", "-t1", "-c4", "-d2s", url], capture_output=True, check=True)
            run = subprocess.run(
                ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency", url],
                capture_output=True,
                text=True,
                check=True,
            )
            results[name] = parse_wrk(run.stdout)
            print(f"{name:24} {json.dumps(results[name])}", flush=True)
    ceiling = results["ceiling (no-op view)"]["requests_per_second"]
    for name in ("article list", "article page"):
        share = results[name]["requests_per_second"] / ceiling
        print(f"{name}: {share:.0%} of the ceiling's throughput")
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    name = "article_pages_uncached.json" if args.no_page_cache else "article_pages.json"
    (out / name).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
