"""Writes to articles outside Wagtail's own editor: the review record, audit, the roles."""

import logging

from django.apps import apps as global_apps
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)

CLINICAL_REVIEW_WORKFLOW = "Clinical review"
CLINICAL_REVIEW_TASK = "Clinical review by a practitioner"
ARTICLE_COLLECTION = "Article pictures"


def article_review_record(*, page, revision) -> None:
    """Show readers who approved the version just published, and when: from the workflow.

    The reviewer and date come from the "Clinical review" approval of ``revision`` (or the
    latest approval of this page), never from typed text. Written with an ``UPDATE`` so that
    drafts saved since are left alone.
    """
    from wagtail.models import TaskState

    approval = (
        TaskState.objects.filter(
            revision__object_id=str(page.pk),
            revision__base_content_type=page.get_base_content_type(),
            status=TaskState.STATUS_APPROVED,
        )
        .select_related("finished_by")
        .order_by("-finished_at")
        .first()
    )
    if approval is None or approval.finished_by is None:
        return
    name = approval.finished_by.get_full_name() or approval.finished_by.get_username()
    reviewed_on = timezone.localdate(approval.finished_at)
    type(page).objects.filter(pk=page.pk).update(reviewed_by=name, reviewed_on=reviewed_on)
    page.reviewed_by, page.reviewed_on = name, reviewed_on


def article_audit_from_wagtail(*, entry) -> None:
    """Copy one of Wagtail's log entries (edit, publish, approve, revert ...) to the audit log."""
    from auditlog.models import LogEntry

    instance = entry.page if hasattr(entry, "page") else None
    if instance is None:
        return
    LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"wagtail_action": [None, entry.action]},
        actor=entry.user,
        additional_data={"wagtail_log_entry": entry.pk, "label": entry.label},
    )


def article_roles_sync(*, apps=global_apps) -> None:
    """Give the back office's roles their Wagtail rights and set up the "Clinical review" workflow.

    * Clinic manager: the Wagtail admin, add and edit articles (including scheduling and
      unpublishing), lock them, and the picture library. Publishing goes through a clinician's
      approval: nobody's "Publish" skips it (``wagtail_hooks.py``).
    * Practitioner: the Wagtail admin, to review; approving publishes.
    * Receptionist: nothing here.

    Idempotent; runs after every ``migrate`` once every app's permissions exist.
    """
    from clinic.roles import Role

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ArticleIndexPage = apps.get_model("articles", "ArticleIndexPage")

    def perm(app_label: str, codename: str):
        return Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()

    # Who may open the Wagtail admin at all is a plain permission, declared in ``roles.py``.
    manager, _ = Group.objects.get_or_create(name=Role.CLINIC_MANAGER)
    practitioner, _ = Group.objects.get_or_create(name=Role.PRACTITIONER)
    receptionist, _ = Group.objects.get_or_create(name=Role.RECEPTIONIST)

    index = ArticleIndexPage.objects.first()
    if index is None:
        return
    page = Page.objects.get(pk=index.pk)
    manager_codes = ["add_page", "change_page", "lock_page", "unlock_page"]
    GroupPagePermission.objects.filter(group__in=[manager, practitioner, receptionist]).exclude(
        page=page, group=manager, permission__codename__in=manager_codes
    ).delete()
    for codename in manager_codes:
        permission = perm("wagtailcore", codename)
        if permission:
            GroupPagePermission.objects.get_or_create(
                group=manager, page=page, permission=permission
            )

    root = Collection.objects.filter(depth=1).first()
    if root is not None:
        GroupCollectionPermission.objects.filter(group__in=[practitioner, receptionist]).delete()
        for codename in ("add_image", "change_image", "choose_image"):
            permission = perm("wagtailimages", codename)
            if permission:
                GroupCollectionPermission.objects.get_or_create(
                    group=manager, collection=root, permission=permission
                )

    workflow, _ = Workflow.objects.get_or_create(
        name=CLINICAL_REVIEW_WORKFLOW, defaults={"active": True}
    )
    task = GroupApprovalTask.objects.filter(name=CLINICAL_REVIEW_TASK).first()
    if task is None:
        ContentType = apps.get_model("contenttypes", "ContentType")
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=CLINICAL_REVIEW_TASK, active=True, content_type=content_type
        )
    task.groups.set([practitioner])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})


def article_index_ensure():
    """The page tree the articles live in: Wagtail's root, the site's home, ``/articles/``.

    Wagtail's migrations create the root and a default site; a flushed test database or a
    fresh install may lack them, so each piece is created when missing.
    """
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page, Site

    from .models import ArticleIndexPage

    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    index = ArticleIndexPage.objects.first()
    if index is not None:
        return index
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        home = root.add_child(instance=Page(title="Home", slug="home"))
        site = Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True
        )
    return site.root_page.add_child(instance=ArticleIndexPage(title="Articles", slug="articles"))


def article_draft_create(
    *,
    title: str,
    slug: str,
    summary: str,
    body: list | str,
    author=None,
    tags=(),
    next_review=None,
    hero_image=None,
    hero_image_alt: str = "",
    first_published_at=None,
    go_live_at=None,
):
    """A new article as a draft under ``/articles/`` (its first revision); nothing is public.

    ``body`` is StreamField data, or Markdown (converted as the migration converts it).
    """
    import json

    from .markdown import markdown_to_blocks
    from .models import ArticlePage

    if isinstance(body, str):
        body = json.dumps(markdown_to_blocks(body))
    page = ArticlePage(
        title=title,
        slug=slug,
        summary=summary,
        body=body,
        author=author,
        owner=author,
        next_review=next_review,
        hero_image=hero_image,
        hero_image_alt=hero_image_alt,
        first_published_at=first_published_at,
        go_live_at=go_live_at,
        live=False,
    )
    page.tags.set(list(tags))
    article_index_ensure().add_child(instance=page)
    page.save_revision(user=author, log_action=True)
    return page


def article_submit_for_review(*, page, user):
    """Start the page's "Clinical review" workflow on its latest revision."""
    workflow = page.get_workflow()
    if workflow is None:
        article_roles_sync()
        workflow = page.get_workflow()
    return workflow.start(page, user)


def article_review_approve(*, page, reviewer, comment: str = ""):
    """A practitioner approves the article under review: Wagtail then publishes it (or schedules
    it, when it has a later go-live time). Refused for anyone outside the task's groups."""
    from django.core.exceptions import PermissionDenied

    task_state = page.current_workflow_task_state
    if task_state is None:
        raise PermissionDenied("Nothing is waiting for review.")
    task = task_state.task.specific
    if not task.user_can_access_editor(page, reviewer) or "approve" not in [
        action[0] for action in task.get_actions(page, reviewer)
    ]:
        raise PermissionDenied("Only a practitioner can approve an article.")
    task_state.specific.approve(user=reviewer, comment=comment)
    page.refresh_from_db()
    return page


def article_publish_approved(workflow_state, user=None) -> None:
    """What finishing the "Clinical review" does (``WAGTAIL_FINISH_WORKFLOW_ACTION``): publish
    the revision the clinician approved, or schedule it when it has a later go-live time.

    The approval is the permission: a practitioner publishes nothing any other way.
    """
    task_state = workflow_state.current_task_state
    revision = task_state.revision if task_state else None
    revision = revision or workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
