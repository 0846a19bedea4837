"""The interfaces chat with bots loaded from packages: the fixtures of the bots tests serve here too."""

from tests.bots.conftest import demo_bot, storage, user  # noqa: F401  (fixtures)
