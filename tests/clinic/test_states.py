"""The one state-transition pattern: a table, and the table's error for an illegal move."""

import pytest

from clinic.states import IllegalTransition, Transitions


class Refused(IllegalTransition):
    pass


TABLE = Transitions({"new": {"open"}, "open": {"closed"}, "closed": set()}, error=Refused)


def test_a_move_the_table_allows_passes():
    TABLE.check("new", "open")
    assert TABLE["open"] == frozenset({"closed"})


@pytest.mark.parametrize(("from_status", "to_status"), [("closed", "open"), ("new", "closed")])
def test_a_move_the_table_does_not_allow_raises_its_error(from_status, to_status):
    with pytest.raises(Refused) as raised:
        TABLE.check(from_status, to_status)
    assert (raised.value.from_status, raised.value.to_status) == (from_status, to_status)


def test_an_unknown_status_allows_nothing():
    with pytest.raises(IllegalTransition):
        Transitions({"new": {"open"}}).check("lost", "open")


@pytest.mark.django_db
def test_a_conditional_move_happens_once_and_only_while_its_condition_holds():
    """``status_transition_if`` on contact messages, made through their service: a stale copy
    loses, a condition that no longer holds moves nothing, and only a move writes history."""
    from django.db.models import Q

    from clinic.contact.models import ContactMessage, ContactMessageStatusChange
    from clinic.contact.services import contact_message_create
    from clinic.states import status_transition_if

    message = contact_message_create(
        name="Ann", email="ann@example.com", message="Hello", privacy_acknowledged=True
    )
    stale = ContactMessage.objects.get(pk=message.pk)
    move = {
        "to_status": ContactMessage.Status.CLOSED,
        "transitions": ContactMessage.TRANSITIONS,
        "history": ContactMessageStatusChange,
    }
    assert not status_transition_if(
        message, condition=Q(email="someone-else@example.com"), **move, contact_message=message
    )
    assert message.status == ContactMessage.Status.NEW
    assert status_transition_if(message, **move, contact_message=message)
    assert message.status == ContactMessage.Status.CLOSED
    assert not status_transition_if(stale, **move, contact_message=stale)
    assert list(message.status_changes.values_list("from_status", "to_status")) == [
        ("new", "closed")
    ]
    with pytest.raises(IllegalTransition):
        status_transition_if(message, **move, contact_message=message)
