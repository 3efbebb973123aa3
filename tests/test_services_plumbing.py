"""The shared plumbing of the apps' services: @service attributes the history; transition()
checks the one table shape."""

import pytest
from django.core.exceptions import ValidationError
from pghistory.models import Context

from association.accounts.models import User
from association.services import history_context, service
from association.workflow import can_transition, check_table, transition
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@service
def rename(user, *, by, name):
    user.display_name = name
    user.save(update_fields=["display_name"])


def last_context(user) -> dict:
    event = User.pgh_event_model.objects.filter(pgh_obj=user).latest("pgh_id")
    return Context.objects.get(pk=event.pgh_context_id).metadata


def test_it_records_the_actor_and_the_service_of_a_change(cast):
    user = UserFactory()
    rename(user, by=cast.staff, name="新名字")
    metadata = last_context(user)
    assert metadata["user"] == cast.staff.pk
    assert metadata["action"] == "tests.test_services_plumbing.rename"


def test_it_keeps_the_outer_action_and_lists_the_services_run_inside_it(cast):
    user = UserFactory()
    with history_context("seed_demo"):
        rename(user, by=cast.officer, name="甲")
        rename(user, by=cast.staff, name="乙")
    metadata = last_context(user)
    assert metadata["action"] == "seed_demo"
    assert metadata["services"] == ["tests.test_services_plumbing.rename"]
    assert metadata["user"] == cast.officer.pk


def test_it_rolls_the_whole_service_back_on_error(cast):
    user = UserFactory(display_name="原名")

    @service
    def rename_then_fail(user, *, by):
        user.display_name = "改了"
        user.save(update_fields=["display_name"])
        raise ValidationError("不行")

    with pytest.raises(ValidationError):
        rename_then_fail(user, by=cast.staff)
    user.refresh_from_db()
    assert user.display_name == "原名"


def test_it_moves_only_along_the_table():
    table = {"draft": {"submitted"}, "submitted": {"approved", "draft"}, "approved": set()}
    check_table(table, ["draft", "submitted", "approved"])
    with pytest.raises(ValueError, match="no row"):
        check_table({"draft": {"submitted"}}, ["draft", "submitted"])

    user = User(email="x@example.org", display_name="draft")
    assert can_transition(user, "submitted", table, field="display_name")
    assert transition(user, "submitted", table, field="display_name") == "draft"
    assert user.display_name == "submitted"
    with pytest.raises(ValidationError, match="不能变为"):
        transition(user, "draft_unknown", table, field="display_name")


def test_it_attributes_what_a_task_changes_to_the_task_or_its_schedule(cast):
    from association.celery import app

    user = UserFactory()

    @app.task(name="tests.rename_task")
    def rename_task(user_id, name):
        User.objects.filter(pk=user_id).update(display_name=name)

    rename_task.apply(args=[user.pk, "任务改名"])
    assert last_context(user)["action"] == "task: tests.rename_task"

    rename_task.apply(args=[user.pk, "定时改名"], headers={"periodic_task_name": "nightly"})
    assert last_context(user)["action"] == "beat: nightly"
