"""Fixtures for tests that talk to the stand-in Discord.

Tests outside ``tests/standin`` can reuse them by importing them into their own conftest::

    from tests.standin.conftest import standin  # noqa: F401
"""

from collections.abc import AsyncIterator

import pytest

from tests.standin.server import StandinDiscord


@pytest.fixture
async def standin() -> AsyncIterator[StandinDiscord]:
    """A started :class:`StandinDiscord` on 127.0.0.1, closed after the test.

    At teardown it also fails the test if the bot called a route the stand-in lacks (see the
    log line naming it), so missing routes never hide behind a passing test.
    """
    async with StandinDiscord() as server:
        yield server
        assert not server.unknown_routes, f"routes missing in the stand-in: {server.unknown_routes}"
