"""Signals of the bots layer, so that layers above react to bots without bots knowing them."""

from django.dispatch import Signal

# Sent by ``bot_upsert_from_package`` inside its transaction, after the bot's scripts were
# synced and before the bot is saved, when a package created or updated a bot (not when it was
# unchanged). Arguments: ``bot`` (the Bot, its ``config`` and ``manifest`` already read from the
# package), ``package`` (the read Package) and ``status`` ("created" or "updated").
# A receiver returns a list of problem dicts (``Problem.as_dict()``: path, line, col, severity,
# message) found while reacting, or None; they are stored on the bot with the package's own.
# An exception in a receiver rolls the load back.
package_loaded = Signal()
