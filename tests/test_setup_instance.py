"""`make setup` (setup_instance --demo) prints its summary and the demo logins, with the
secretary-general's among them, and no raw e-mail or broker warning from the seeding."""

import logging
from io import StringIO

import pytest
from django.core import mail

from association.accounts.demo import DEMO_PASSWORD
from association.finance.demo import SECRETARY_EMAIL
from association.management.commands import setup_instance
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_prints_the_secretary_and_no_mail_or_broker_warning(
    monkeypatch, settings, capsys, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    seen = {}

    def fake_call_command(name, *args, stdout=None, **kwargs):
        if name == "seed_demo":
            # What the real demo does on the way: notifies by e-mail, runs tasks in-process.
            mail.send_mail("会议通知", "请准时出席。", None, ["officer@demo.xcsw.org.cn"])
            logging.getLogger("kombu.connection").warning("No hostname was supplied.")
            seen["backend"] = settings.EMAIL_BACKEND
            UserFactory(email=SECRETARY_EMAIL)
            stdout.write("演示账户 / Demo logins:")

    monkeypatch.setattr(setup_instance, "call_command", fake_call_command)
    out = StringIO()
    setup_instance.Command(stdout=out).handle(demo=True)
    printed = out.getvalue()
    captured = capsys.readouterr()
    assert SECRETARY_EMAIL in printed and DEMO_PASSWORD in printed
    assert seen["backend"] == "django.core.mail.backends.locmem.EmailBackend"
    assert "Subject:" not in captured.out + captured.err + printed
    assert "No hostname" not in captured.out + captured.err + caplog.text
    assert not logging.root.manager.disable  # logging is back on after the seed


@pytest.mark.parametrize("force", [False, True])
def test_it_passes_force_to_the_demo_seed(monkeypatch, force):
    """`setup_instance --demo --force` seeds with DEBUG=0, as `seed_demo --force` does: the
    bench's generator runs under the production settings in its own database."""
    seen = {}

    def fake_call_command(name, *args, stdout=None, **kwargs):
        if name == "seed_demo":
            seen.update(kwargs)

    monkeypatch.setattr(setup_instance, "call_command", fake_call_command)
    setup_instance.Command(stdout=StringIO()).handle(demo=True, force=force)
    assert seen == {"force": force}


def test_the_demo_seed_refuses_production_settings_without_force(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=0 needs --force"):
        call_command("seed_demo", stdout=StringIO())
