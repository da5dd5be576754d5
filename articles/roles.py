"""What each back-office role may do with articles (collected by ``clinic.roles``).

Managers edit, schedule and illustrate articles; practitioners review them in the "Clinical
review" workflow; reception has no access to the Wagtail admin. The page, picture and workflow
rights that Wagtail keeps in its own tables are set by ``articles.services.article_roles_sync``.
"""

from clinic.roles import ALL_ACTIONS, Grant, Role, grant

grant(
    Grant(Role.CLINIC_MANAGER, "articles", actions=ALL_ACTIONS),
    Grant(Role.CLINIC_MANAGER, "wagtailadmin", codename="access_admin"),
    Grant(Role.PRACTITIONER, "wagtailadmin", codename="access_admin"),
)
