"""Issue a two-factor enrolment code from the server's shell: for an instance's first
administrator, who has no other staff member to issue one."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from association.accounts.models import User
from association.accounts.services import enrolment_code_issue


class Command(BaseCommand):
    help = "Print a one-time code with which USER enrols a TOTP authenticator (valid 24 hours)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        try:
            user = User.objects.get(email__iexact=email)
        except User.DoesNotExist as exc:
            raise CommandError(f"No user with the e-mail {email}") from exc
        try:
            code = enrolment_code_issue(user=user, by=None)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(code)
