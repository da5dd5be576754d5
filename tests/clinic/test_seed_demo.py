"""seed_demo creates a staff login with a published password and key: never without DEBUG."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from clinic.management.commands.seed_demo import DEMO_USERNAME

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username=DEMO_USERNAME).exists()


def test_seed_demo_runs_with_debug_on(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    assert get_user_model().objects.filter(username=DEMO_USERNAME, is_staff=True).exists()
