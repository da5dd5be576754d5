"""``manage.py subject_export EMAIL``: print everything held about a person as JSON."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from clinic.privacy.services import (
    export_as_json,
    subject_access_export,
    subject_export_build,
    subject_for_email,
)


def actor_from(username: str):
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"No user called {username!r}.")
    return user


def email_checked(email: str) -> str:
    try:
        validate_email(email.strip())
    except ValidationError as exc:
        raise CommandError(f"Not an email address: {email!r}") from exc
    return email.strip()


class Command(BaseCommand):
    help = "Export everything held about the person with EMAIL (subject access), as JSON."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print what would be exported without recording a request.",
        )
        parser.add_argument("--by", default="", help="Username of the staff member handling it.")

    def handle(self, *args, email: str, dry_run: bool, by: str, **options):
        email = email_checked(email)
        if dry_run:
            export = subject_export_build(subject=subject_for_email(email))
        else:
            export = subject_access_export(email=email, actor=actor_from(by))
        self.stdout.write(export_as_json(export))
