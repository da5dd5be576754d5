"""The one way a record's status changes: a transition table, a domain exception for an illegal
move, and a history row written in the same transaction (django-oscar's ``set_status()``).

Appointments (``bookings.services.status``) and contact messages (``clinic.contact.services``)
both change status through :func:`status_transition`; a change that races another actor's (a
patient's click against the sweep that releases what they clicked for) goes through
:func:`status_transition_if`, a conditional ``UPDATE`` the database settles.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db import models
from django.db.models import Q

from clinic.audit import audit_record_update


class IllegalTransition(Exception):
    """A status change the transition table does not allow."""

    def __init__(self, from_status: str, to_status: str) -> None:
        super().__init__(f"A {from_status} record cannot become {to_status}.")
        self.from_status, self.to_status = from_status, to_status


class Transitions(dict):
    """Which status may follow which: ``{status: frozenset of the statuses allowed next}``."""

    def __init__(self, table: Mapping[str, Iterable[str]], *, error=IllegalTransition) -> None:
        super().__init__({status: frozenset(targets) for status, targets in table.items()})
        self.error = error

    def check(self, from_status: str, to_status: str) -> None:
        """Raise the table's error unless ``to_status`` may follow ``from_status``."""
        if to_status not in self.get(from_status, frozenset()):
            raise self.error(from_status, to_status)


def status_transition(
    instance: models.Model,
    *,
    to_status: str,
    transitions: Transitions,
    history: type[models.Model],
    also_save: Iterable[str] = (),
    **history_fields,
) -> models.Model:
    """Move ``instance`` to ``to_status`` and record it in ``history``; returns the history row.

    Checks ``transitions`` first. Saves ``status`` and the fields named in ``also_save`` (set
    on ``instance`` beforehand, so that constraints spanning them hold). ``history_fields``
    (the record, who, when, why) go on the history row with ``from_status`` and ``to_status``.
    Call it inside the transaction that holds the row.
    """
    from_status = instance.status
    transitions.check(from_status, to_status)
    instance.status = to_status
    instance.save(update_fields=["status", *also_save])
    return history.objects.create(from_status=from_status, to_status=to_status, **history_fields)


def status_transition_if(
    instance: models.Model,
    *,
    to_status: str,
    transitions: Transitions,
    history: type[models.Model],
    condition: Q | None = None,
    also_update: Mapping[str, object] | None = None,
    **history_fields,
) -> bool:
    """Move ``instance`` to ``to_status`` only if its row is still as the caller saw it.

    One conditional ``UPDATE``: the row must still have ``instance.status`` and meet
    ``condition``, as the database sees it when the statement runs (PostgreSQL re-reads a row a
    concurrent transaction changed), so of two actors racing for one change exactly one wins.
    Returns whether this call made it; only then are ``instance``, the audit log (an ``UPDATE``
    sends no signals) and a ``history`` row written. ``also_update`` holds plain values set in
    the same statement. Call it inside the transaction the change belongs to.
    """
    from_status = instance.status
    transitions.check(from_status, to_status)
    also_update = dict(also_update or {})
    moved = (
        type(instance)
        ._default_manager.filter(condition or Q(), pk=instance.pk, status=from_status)
        .update(status=to_status, **also_update)
    )
    if not moved:
        return False
    instance.status = to_status
    for name, value in also_update.items():
        setattr(instance, name, value)
    audit_record_update(instance, status=(from_status, to_status))
    history.objects.create(from_status=from_status, to_status=to_status, **history_fields)
    return True
