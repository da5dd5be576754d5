"""The demo articles: seeded as pages through the review, and in step with the self-assessment."""

import io
import re

import pytest
from django.core.management import call_command

from articles.demo_content import DEMO_ARTICLES, DEMO_REVIEWER_NOTE
from articles.models import ArticlePage
from assessments.safety_net import safety_net_tiers

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True  # seed_demo refuses to run without it
    call_command("seed_demo", stdout=io.StringIO())
    return ArticlePage.objects.published()


def test_seed_demo_makes_every_demo_article_a_reviewed_live_page(seeded):
    assert seeded.count() == len(DEMO_ARTICLES)
    for page in seeded:
        assert DEMO_REVIEWER_NOTE in page.reviewed_by  # from the demo practitioner's approval
        assert page.next_review is not None
        assert page.get_latest_revision().approved_go_live_at is None
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    assert ArticlePage.objects.count() == len(DEMO_ARTICLES)


def test_each_article_renders_the_tools_own_red_flags_and_stop_notes(client, seeded):
    for page in seeded:
        html = client.get(page.get_absolute_url()).content.decode()
        for tier in safety_net_tiers():
            assert str(tier.title).replace("&", "&amp;") in html
            for item in tier.items:
                assert str(item) in html
        exercises = sum(1 for block in page.body if block.block_type == "exercise")
        assert html.count("Stop if it sends symptoms down your leg.") == exercises
        assert html.count('src="/static/img/exercises/') == exercises


def test_consistent_advice_across_the_demo_articles():
    text = repr(DEMO_ARTICLES).lower()
    assert "48 hours" not in text and "two weeks" not in text and "6 weeks" not in text
    assert "cough, sneeze" in text and "weakness in one leg that is getting worse" in text
    assert len(set(re.findall(r"no better after (\w+ \w+)", text))) == 1
    for claim in ("hamstrings", "disc", "facet"):
        for sentence in re.split(r"(?<=[.!?])\s", text):
            if claim in sentence and any(w in sentence for w in (" cause", " press", " load")):
                assert any(h in sentence for h in ("may", "can", "some")), sentence


def test_every_stretch_is_an_exercise_block():
    for entry in DEMO_ARTICLES:
        for block in entry["body"]:
            if block["type"] == "text":
                assert "hold for" not in block["value"].lower(), entry["slug"]
