from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Article, Tag
from .services import article_publish


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "status",
        "published_at",
        "updated_at",
        "reviewed_on",
        "author",
        "preview_link",
    ]
    list_filter = ["status", "tags", "reviewed_on"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["tags"]
    list_select_related = ["author"]
    readonly_fields = ["reading_minutes", "created_at", "updated_at"]
    actions = ["publish_now"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "body", "tags"]}),
        (_("Publication"), {"fields": ["status", "published_at", "author"]}),
        (_("Hero image"), {"fields": ["hero_image", "hero_image_alt"], "classes": ["collapse"]}),
        (_("Clinical review"), {"fields": ["reviewed_on", "reviewed_by"]}),
        (
            _("Details"),
            {"fields": ["reading_minutes", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    @admin.display(description=_("preview"))
    def preview_link(self, obj: Article) -> str:
        label = _("View") if obj.is_public else _("Preview")
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"author": request.user.pk, **super().get_changeform_initial_data(request)}

    @admin.action(description=_("Publish selected articles now"), permissions=["change"])
    def publish_now(self, request: HttpRequest, queryset: QuerySet[Article]) -> None:
        count = 0
        for article in queryset:
            article_publish(article=article)
            count += 1
        self.message_user(
            request,
            ngettext("Published %d article.", "Published %d articles.", count) % count,
            messages.SUCCESS,
        )
