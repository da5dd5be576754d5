"""Production settings: the deployment checks pass, and the development key is refused."""

import os
import re
import secrets
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"

PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "www.example.co.uk",
    "SITE_URL": "https://www.example.co.uk",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The browser tests allow Django's async-unsafe calls in this process; production never.
    dropped = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_pass_check_deploy():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        **PRODUCTION, SECRET_KEY=secrets.token_urlsafe(64),
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_the_development_secret_key():
    result = _manage("check", **PRODUCTION)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for():
    """Production is the default: a host that forgets ``DEBUG`` does not serve tracebacks."""
    result = _manage("check", ALLOWED_HOSTS="www.example.co.uk")
    assert result.returncode != 0
    assert "DEBUG is off" in result.stderr
    shown = _manage(
        "shell", "-c", "from django.conf import settings; print(settings.DEBUG)",
        SECRET_KEY=secrets.token_urlsafe(64),
    )  # fmt: skip
    assert shown.stdout.strip().splitlines()[-1] == "False", shown.stderr


def test_the_sample_proxy_buffers_bodies_sets_timeouts_and_appends_the_client_address():
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "proxy_request_buffering on;" in nginx
    for directive in ("client_body_timeout", "proxy_read_timeout", "proxy_connect_timeout"):
        assert directive in nginx
    assert "X-Forwarded-For $proxy_add_x_forwarded_for;" in nginx
    # `http2 on;` needs nginx 1.25.1; Debian 12's 1.22 refuses the whole file.
    assert not re.search(r"^\s*http2 on;", nginx, re.MULTILINE)


def test_the_sample_units_run_web_worker_and_beat():
    units = ROOT / "deploy" / "systemd"
    assert "gunicorn clinic.wsgi" in (units / "clinic-web.service").read_text()
    assert "celery -A clinic worker" in (units / "clinic-worker.service").read_text()
    assert "celery -A clinic beat" in (units / "clinic-beat.service").read_text()


def _sample_environment() -> dict[str, str]:
    """The sample EnvironmentFile read as systemd does (quotes around a value are dropped)."""
    lines = (DEPLOY / "clinic.env.sample").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))
    return {name: value.strip('"') for name, value in pairs}


def test_the_sample_environment_passes_the_deployment_checks():
    environment = _sample_environment() | {"SECRET_KEY": secrets.token_urlsafe(64)}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **environment)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_samples_agree_with_one_another_and_the_settings():
    environment = _sample_environment()
    nginx = (DEPLOY / "nginx.conf").read_text()
    units = {path.stem: path.read_text() for path in (DEPLOY / "systemd").glob("*.service")}
    web = units["clinic-web"]

    # One proxy, which appends the client's address: the app trusts exactly that entry.
    assert environment["TRUSTED_PROXY_COUNT"] == "1"
    assert nginx.count("X-Forwarded-For $proxy_add_x_forwarded_for;") == 1
    assert environment["BEHIND_TLS_PROXY"] == "true"
    assert "X-Forwarded-Proto $scheme;" in nginx
    # nginx forwards to where gunicorn listens, and waits at least as long as gunicorn works.
    upstream = re.search(r"upstream clinic_web \{\s*server (\S+)", nginx).group(1)
    assert f"--bind {upstream} " in web
    gunicorn_timeout = int(re.search(r"--timeout (\d+)", web).group(1))
    assert gunicorn_timeout <= int(re.search(r"proxy_read_timeout (\d+)s;", nginx).group(1))
    # Uploaded pictures: stored where nginx serves them, and let through at their largest.
    assert re.search(r"alias (\S+);", nginx).group(1).rstrip("/") == environment["MEDIA_ROOT"]
    cms = re.search(r"location /cms/ \{[^}]*client_max_body_size (\d+)m;", nginx)
    assert f"/{settings.WAGTAIL_ADMIN_URL}" == "/cms/"
    assert int(cms.group(1)) * 1024 * 1024 > settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    # Every process reads the same environment in the same folder.
    for name, unit in units.items():
        assert "EnvironmentFile=/etc/clinic/env" in unit, name
        assert "WorkingDirectory=/srv/clinic/app" in unit, name
    # A worker being stopped may finish the task in hand.
    stop = int(re.search(r"TimeoutStopSec=(\d+)", units["clinic-worker"]).group(1))
    assert stop > settings.CELERY_TASK_TIME_LIMIT
    # The cache's Redis evicts, the broker's never does.
    redis = (DEPLOY / "redis.conf.sample").read_text()
    cache_port = urlsplit(environment["CACHE_REDIS_URL"]).port
    broker_port = urlsplit(environment["REDIS_URL"]).port
    assert cache_port != broker_port
    assert re.search(
        rf"port {cache_port}\n#\s+maxmemory \S+\n#\s+maxmemory-policy allkeys-lru", redis
    )
    assert re.search(rf"port {broker_port}\n#\s+maxmemory-policy noeviction", redis)


@pytest.mark.parametrize(("environment", "seen"), [({}, "true"), ({"DEBUG": "false"}, "false")])
def test_make_run_turns_debug_on_only_when_the_environment_does_not_say(
    tmp_path, environment, seen
):
    # A host whose environment says DEBUG=false (production) must reach seed_demo with it, so
    # that `make run` there refuses to create the demo login instead of forcing DEBUG on.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    shim = bin_dir / "python"
    shim.write_text(f'#!/bin/sh\necho "DEBUG=$DEBUG $*" >> {log}\n')
    shim.chmod(0o755)
    (tmp_path / ".deps").touch()  # requirements "installed"
    dropped = ("DEBUG", "REDIS_URL", "CELERY_BROKER_URL", "MAKEFLAGS", "MFLAGS")
    env = {k: v for k, v in os.environ.items() if k not in dropped} | environment
    subprocess.run(
        ["make", "--no-print-directory", "run", f"VENV={tmp_path}", f"BIN={bin_dir}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
        start_new_session=True,  # the recipe ends with `kill 0` on its own process group
    )
    calls = log.read_text().splitlines()
    assert f"DEBUG={seen} manage.py seed_demo" in calls, calls
