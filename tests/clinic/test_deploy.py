"""Production settings: the deployment checks pass, and the development key is refused."""

import os
import secrets
import subprocess
import sys

import pytest

from tests.conftest import ROOT

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


def test_the_sample_units_run_web_worker_and_beat():
    units = ROOT / "deploy" / "systemd"
    assert "gunicorn clinic.wsgi" in (units / "clinic-web.service").read_text()
    assert "celery -A clinic worker" in (units / "clinic-worker.service").read_text()
    assert "celery -A clinic beat" in (units / "clinic-beat.service").read_text()


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
