"""``manage.py subject_erase EMAIL``: erase what may be erased about a person."""

import json

from django.core.management.base import BaseCommand, CommandError

from clinic.privacy.services import subject_erase, subject_erase_preview

from .subject_export import actor_from, email_checked


class Command(BaseCommand):
    help = (
        "Erase what may be erased about the person with EMAIL; keep (and say why) what the "
        "clinic must keep. Asks for confirmation unless --no-input is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be erased and kept; change nothing.",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )
        parser.add_argument("--by", default="", help="Username of the staff member handling it.")

    def handle(self, *args, email: str, dry_run: bool, interactive: bool, by: str, **options):
        email = email_checked(email)
        actor = actor_from(by)
        preview = subject_erase_preview(email=email)
        self._print(preview, heading="Erasure would:" if dry_run else "Erasure will:")
        if dry_run:
            return
        if interactive:
            answer = input("Type 'yes' to erase; this cannot be undone: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Erasure cancelled.")
        summary = subject_erase(email=email, actor=actor)
        self._print(summary, heading="Erasure done:")

    def _print(self, summary: dict, *, heading: str) -> None:
        self.stdout.write(heading)
        for title, outcome in summary.items():
            line = f"  {title}: erased {outcome['deleted']}, kept {outcome['kept']}"
            if outcome.get("kept_because"):
                line += f" ({outcome['kept_because']})"
            if outcome.get("note"):
                line += f"; {outcome['note']}"
            self.stdout.write(line)
        self.stdout.write(json.dumps({"kept_rows": [o.get("kept_rows") for o in summary.values()]}))
