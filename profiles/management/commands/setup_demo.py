"""Load national data and every force fixture, and create the demo users.

Demo users share a known password, so this refuses to run unless DEBUG is on. The demo
`admin` also gets an authenticator app with a known secret (DEMO_TOTP_SECRET), for the
second factor that MFA_FOR_STAFF asks of administrators where DEBUG is off
(`make serve SERVE_DEMO=1`).
"""

from base64 import b32decode
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from profiles.models import Force, Membership, Role

DEMO_PASSWORD = "demo-password"
# Base32, as authenticator apps take it; `oathtool --totp -b <secret>` prints the code too.
DEMO_TOTP_SECRET = "DEMOADMINTOTPKEYDEMOADMINTOTPKEY"
FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Load the demo data and create demo users (development only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Create the demo users even with DEBUG off (`make serve SERVE_DEMO=1` on "
            "127.0.0.1 only; never on a server others can reach).",
        )

    def handle(self, *args, allow_without_debug=False, **options):
        if not settings.DEBUG and not allow_without_debug:
            raise CommandError(
                "setup_demo creates users with a known password: run it with DEBUG on."
            )
        national = sorted(str(path) for path in (FIXTURES / "national").glob("*.json"))
        if national:
            call_command("loaddata", *national, verbosity=0)
        forces = sorted(str(path) for path in (FIXTURES / "forces").glob("*.json"))
        if forces:
            call_command("load_force", *forces, verbosity=0)
        with transaction.atomic():
            self.create_users()
        self.stdout.write(
            f"Loaded {len(national)} national and {len(forces)} force fixtures; "
            f"demo users have the password {DEMO_PASSWORD!r}."
        )
        second_factor = "asked for" if settings.MFA_FOR_STAFF else "not asked for here"
        self.stdout.write(
            f"The demo admin's authenticator secret ({second_factor}; MFA_FOR_STAFF): "
            f"{DEMO_TOTP_SECRET}"
        )

    def create_users(self):
        User = get_user_model()
        admin, _ = User.objects.get_or_create(username="admin")
        admin.is_staff = admin.is_superuser = True
        admin.set_password(DEMO_PASSWORD)
        admin.save()
        TOTPDevice.objects.update_or_create(
            user=admin,
            name="Demo authenticator",
            defaults={"key": b32decode(DEMO_TOTP_SECRET).hex(), "confirmed": True},
        )
        for force in Force.objects.all():
            for prefix, role in (("hr", Role.HR_EDITOR), ("manager", Role.HIRING_MANAGER)):
                user, _ = User.objects.get_or_create(username=f"{prefix}-{force.slug}")
                user.set_password(DEMO_PASSWORD)
                user.save()
                Membership.objects.update_or_create(
                    user=user, defaults={"force": force, "role": role}
                )
