"""The BASIC value model: types, coercions, operators, member access, methods, JSON state.

Values are plain Python objects (NULL ``None``, ``bool``, ``int`` / ``float``, ``str``,
:class:`BasicDate`, ``list``, ``dict``). The choices made where the dialect is silent are stated
in each module's docstring: ``core`` (types, numbers, dates, truth), ``text`` (printing, JSON
text), ``ops`` (operators), ``access`` (members and indexes), ``methods`` (JavaScript-style
methods) and ``codec`` (the JSON encoding of VM state).
"""

from .access import get_index, get_member, set_index, set_member
from .codec import decode_value, encode_value
from .core import (
    BasicDate,
    BasicDuration,
    arity_text,
    as_date,
    check_list_size,
    check_string_size,
    is_numeric,
    normalise,
    to_number,
    truthy,
    type_name,
)
from .methods import call_method
from .ops import (
    compare,
    op_add,
    op_coalesce,
    op_concat,
    op_contains,
    op_div,
    op_eq,
    op_ge,
    op_gt,
    op_le,
    op_like,
    op_lt,
    op_mod,
    op_mul,
    op_ne,
    op_neg,
    op_not,
    op_pow,
    op_sub,
)
from .text import from_json_text, to_json_text, to_text

__all__ = [
    "BasicDate", "BasicDuration", "arity_text", "as_date", "call_method", "check_list_size", "check_string_size",
    "compare", "decode_value", "encode_value", "from_json_text", "get_index", "get_member",
    "is_numeric", "normalise", "op_add", "op_coalesce", "op_concat", "op_contains", "op_div",
    "op_eq", "op_ge", "op_gt", "op_le", "op_like", "op_lt", "op_mod", "op_mul", "op_ne",
    "op_neg", "op_not", "op_pow", "op_sub", "set_index", "set_member", "to_json_text",
    "to_number", "to_text", "truthy", "type_name",
]
