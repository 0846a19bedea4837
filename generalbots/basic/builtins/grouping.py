"""GROUP BY and AGGREGATE over lists of objects (typically FIND results).

``GROUP BY list, "field"`` (also ``GROUP_BY(list, "field")``) gives an object whose keys are the
field's values as text, in order of first appearance, each holding the list of its items.
``AGGREGATE "SUM", list, "field"`` applies SUM, AVG, COUNT, MIN or MAX to the field of every
item; the list may also come first (``AGGREGATE(list, "SUM", "field")``). Without a field the
items themselves are aggregated. COUNT counts the items whose field is not NULL.
"""

from __future__ import annotations

from ..errors import BasicRuntimeError
from ..values import get_member, to_text
from . import numbers
from .registry import builtin, list_arg, text_arg

_AGGREGATES = {"sum": numbers.sum_, "avg": numbers.avg, "average": numbers.avg,
               "min": numbers.min_, "max": numbers.max_}


@builtin("GROUP_BY", args=(2, 2))
def group_by(lst, field) -> dict:
    name = text_arg("GROUP BY", field)
    groups: dict[str, list] = {}
    for item in list_arg("GROUP BY", lst):
        groups.setdefault(to_text(get_member(item, name)), []).append(item)
    return groups


@builtin("AGGREGATE", args=(2, 3))
def aggregate(first, second, field=None):
    op, lst = (second, first) if type(first) is list else (first, second)
    op_name = text_arg("AGGREGATE", op).strip().lower()
    items = list_arg("AGGREGATE", lst)
    if field is not None:
        name = text_arg("AGGREGATE", field)
        items = [get_member(item, name) for item in items]
    if op_name == "count":
        return sum(1 for v in items if v is not None)
    fn = _AGGREGATES.get(op_name)
    if fn is None:
        raise BasicRuntimeError(f"AGGREGATE does not know {op_name.upper()}: use SUM, AVG, COUNT, MIN or MAX")
    return fn([v for v in items if v is not None])
