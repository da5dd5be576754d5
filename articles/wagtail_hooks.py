"""Wagtail admin hooks for the articles: no publishing without a clinician, overdue reviews."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.admin.ui.components import Component

from .models import ArticlePage


@hooks.register("construct_page_action_menu")
def hide_direct_publish(menu_items, request, context) -> None:
    """An article is published by the "Clinical review" approval, never straight from the editor."""
    page = context.get("page")
    if isinstance(page, ArticlePage):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_publish_page")
def refuse_direct_publish(request, page):
    if isinstance(page, ArticlePage):
        messages.error(
            request,
            _("Articles are published when a practitioner approves them: submit it for review."),
        )
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


class OverdueReviewsPanel(Component):
    name = "overdue_reviews"
    order = 50

    def render_html(self, parent_context=None) -> str:
        pages = list(
            ArticlePage.objects.review_overdue()
            .order_by("next_review")
            .only("title", "next_review")
        )
        due_soon = list(ArticlePage.objects.filter(next_review__isnull=True).only("title")[:20])
        return render_to_string(
            "articles/admin/overdue_reviews_panel.html",
            {"overdue": pages, "no_date": due_soon},
        )


@hooks.register("construct_homepage_panels")
def add_overdue_reviews_panel(request, panels) -> None:
    panels.append(OverdueReviewsPanel())


@hooks.register("insert_editor_js")
def name_rich_text_editors() -> str:
    """Give Wagtail's rich-text boxes an accessible name (its editor leaves them unnamed)."""
    return format_html('<script src="{}" defer></script>', static("js/cms-editor-labels.js"))
