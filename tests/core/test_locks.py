"""``exclusive(name)``: one holder at a time across connections (PostgreSQL advisory locks)."""

import threading

import pytest
from django.db import connection

from generalbots.core.locks import exclusive

pytestmark = pytest.mark.django_db(transaction=True)


def holder(name: str, entered: threading.Event, release: threading.Event, log: list) -> None:
    try:
        with exclusive(name):
            log.append(("in", threading.current_thread().name))
            entered.set()
            release.wait(10)
            log.append(("out", threading.current_thread().name))
    finally:
        connection.close()


def test_a_second_holder_waits_until_the_first_lets_go_and_other_names_do_not_wait():
    log: list = []
    first_in, second_in, other_in, release_first, release_rest = (threading.Event() for _ in range(5))
    first = threading.Thread(target=holder, args=("kb:1", first_in, release_first, log), name="first")
    second = threading.Thread(target=holder, args=("kb:1", second_in, release_rest, log), name="second")
    other = threading.Thread(target=holder, args=("kb:2", other_in, release_rest, log), name="other")
    first.start()
    assert first_in.wait(10)
    second.start()
    other.start()
    assert other_in.wait(10)  # another name is not held up
    assert not second_in.wait(0.5)  # the same name is
    release_first.set()
    assert second_in.wait(10)
    release_rest.set()
    for thread in (first, second, other):
        thread.join(10)
    assert log.index(("out", "first")) < log.index(("in", "second"))


def test_the_lock_is_released_when_the_block_raises():
    with pytest.raises(RuntimeError):
        with exclusive("kb:3"):
            raise RuntimeError("boom")
    with connection.cursor() as cursor:  # free again: another session can take it at once
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()")
        assert cursor.fetchone()[0] == 0
