from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_list_shows_published_articles_only(client):
    ArticleFactory(title="Live piece")
    ArticleFactory(title="Secret draft", draft=True)
    ArticleFactory(title="Future piece", scheduled=True)
    response = client.get(reverse("articles:list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Live piece" in content
    assert "Secret draft" not in content and "Future piece" not in content


def test_list_order_is_newest_first(client):
    now = timezone.now()
    ArticleFactory(title="Three days old", published_at=now - timedelta(days=3))
    ArticleFactory(title="One day old", published_at=now - timedelta(days=1))
    content = client.get(reverse("articles:list")).content.decode()
    assert content.index("One day old") < content.index("Three days old")


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5", "\uff19"])
def test_malformed_or_missing_page_is_a_clean_404(client, page):
    ArticleFactory()
    response = client.get(reverse("articles:list"), {"page": page})
    assert response.status_code == 404


def test_unknown_slug_and_tag_are_404(client):
    assert client.get(reverse("articles:detail", args=["no-such-thing"])).status_code == 404
    assert client.get(reverse("articles:tag", args=["no-such-tag"])).status_code == 404


def test_drafts_and_scheduled_articles_are_404_for_the_public(client):
    draft = ArticleFactory(draft=True)
    scheduled = ArticleFactory(scheduled=True)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(scheduled.get_absolute_url()).status_code == 404


def test_staff_can_preview_drafts_and_the_preview_is_not_cached(staff_client):
    draft = ArticleFactory(draft=True, title="Work in progress")
    response = staff_client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Preview." in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_detail_page_has_ctas_canonical_open_graph_and_json_ld(client):
    tag = TagFactory(name="Hamstrings", slug="hamstrings")
    article = ArticleFactory(title="Tight hamstrings", tags=[tag])
    related = ArticleFactory(title="A related read", tags=[tag])
    ArticleFactory(title="Unrelated but recent")
    content = client.get(article.get_absolute_url()).content.decode()
    assert reverse("assessments:start") in content
    assert f"{reverse('bookings:start')}?code=SAVE15" in content
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in content
    assert '<meta property="og:title" content="Tight hamstrings">' in content
    assert '<script type="application/ld+json">' in content
    assert '"@type": "MedicalWebPage"' in content
    assert related.title in content
    assert content.count("<h1") == 1


def test_json_ld_cannot_break_out_of_its_script_element(client):
    article = ArticleFactory(title="</script><script>alert(1)</script>")
    content = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in content


def test_tag_page_lists_only_that_tags_published_articles(client):
    tag = TagFactory(name="Posture", slug="posture")
    ArticleFactory(title="Posture at work", tags=[tag])
    ArticleFactory(title="Something else")
    ArticleFactory(title="Draft on posture", tags=[tag], draft=True)
    content = client.get(tag.get_absolute_url()).content.decode()
    assert "Posture at work" in content
    assert "Something else" not in content
    assert "Draft on posture" not in content


def test_search_finds_matching_published_articles(client):
    ArticleFactory(title="Hamstring stretches for desk workers", body="Stretch daily.")
    ArticleFactory(title="Sleeping positions", body="Pillows and mattresses.")
    ArticleFactory(title="Hamstring draft", draft=True)
    content = client.get(reverse("articles:list"), {"q": "hamstring"}).content.decode()
    assert "Hamstring stretches for desk workers" in content
    assert "Sleeping positions" not in content
    assert "Hamstring draft" not in content


@pytest.mark.parametrize("query", ["x" * 5000, "' OR 1=1 --", "<script>", "%%%", "日本語"])
def test_odd_or_overlong_searches_return_a_page_not_an_error(client, query):
    ArticleFactory()
    response = client.get(reverse("articles:list"), {"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</nav>", 1)[1]


def test_feed_sitemap_and_robots(client):
    article = ArticleFactory(title="Feed item")
    ArticleFactory(title="Feed draft", draft=True)
    feed = client.get(reverse("articles:feed"))
    assert feed.status_code == 200
    assert b"Feed item" in feed.content and b"Feed draft" not in feed.content
    sitemap = client.get("/sitemap.xml")
    assert sitemap.status_code == 200
    assert article.get_absolute_url().encode() in sitemap.content
    robots = client.get("/robots.txt")
    assert b"Sitemap: http://testserver/sitemap.xml" in robots.content


def test_article_admin_lists_and_publishes_after_review(client):
    from articles.models import ArticlePage
    from articles.services import article_review_approve, article_submit_for_review
    from tests.conftest import login_staff

    from .factories import manager_user, practitioner_user

    draft = ArticleFactory(draft=True, title="To publish")
    manager = manager_user()
    manager.set_password("a-long-test-password")
    manager.save()
    login_staff(client, manager)
    listing = client.get(f"/cms/pages/{draft.get_parent().pk}/", {"q": "publish"})
    assert listing.status_code == 200 and "To publish" in listing.text
    assert client.get(f"/cms/pages/{draft.pk}/edit/").status_code == 200
    article_submit_for_review(page=draft, user=manager)
    article_review_approve(page=draft, reviewer=practitioner_user("B. Practitioner"))
    draft = ArticlePage.objects.get(pk=draft.pk)
    assert draft.is_public and draft.reviewed_by == "B. Practitioner"
    assert (
        client.get(f"/cms/pages/add/articles/articlepage/{draft.get_parent().pk}/").status_code
        == 200
    )
