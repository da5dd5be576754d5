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
