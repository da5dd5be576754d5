"""Give a staff member an authenticator-app (TOTP) device, and show them how to add it."""

import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Create a TOTP device for a staff member and print the QR code to scan with an "
        "authenticator app. Replaces their existing devices when --replace is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--replace", action="store_true", help="remove existing devices")

    def handle(self, *args, username: str, replace: bool, **options) -> None:
        try:
            user = get_user_model().objects.get(username=username, is_staff=True)
        except get_user_model().DoesNotExist as exc:
            raise CommandError(f"No staff user called {username!r}.") from exc
        devices = TOTPDevice.objects.devices_for_user(user)
        if devices.exists() and not replace:
            raise CommandError(f"{username} already has a device; use --replace to change it.")
        devices.delete()
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
        qr = qrcode.QRCode(border=1)
        qr.add_data(device.config_url)
        qr.print_ascii(out=self.stdout, invert=True)
        self.stdout.write(f"Or enter this address in the app: {device.config_url}")
