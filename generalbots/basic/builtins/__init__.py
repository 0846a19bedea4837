"""Every builtin function of the dialect, registered in ``BUILTINS`` by lower-case name.

Pure Python (no Django). Each module states the choices it makes where BASIC.md is silent:
``strings``, ``numbers``, ``dates`` (and the replaceable clock), ``formatting`` (FORMAT masks),
``lists`` and ``misc`` (IIF, NULL helpers, JSON, RANDOM, GUID and the random seed).
"""

from . import dates, formatting, grouping, lists, misc, numbers, strings  # noqa: F401  (they register)
from .dates import set_clock
from .misc import set_random_seed
from .registry import BUILTINS, Builtin, call_builtin

__all__ = ["BUILTINS", "Builtin", "call_builtin", "set_clock", "set_random_seed"]
