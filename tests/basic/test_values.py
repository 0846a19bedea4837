"""The value model: truth, text, numbers, operators, members, methods and the JSON state codec."""

import json
import math
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generalbots.basic.errors import BasicLimitError, BasicRuntimeError
from generalbots.basic.limits import Limits
from generalbots.basic.values import (
    BasicDate,
    call_method,
    check_list_size,
    check_string_size,
    decode_value,
    encode_value,
    from_json_text,
    get_index,
    get_member,
    is_numeric,
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
    set_index,
    set_member,
    to_json_text,
    to_number,
    to_text,
    truthy,
    type_name,
)

DAY = BasicDate(datetime(2026, 11, 24), date_only=True)
MOMENT = BasicDate(datetime(2026, 11, 24, 19, 20, 5))
TINY = Limits(string_length=10, list_length=3)


def same(a, b) -> bool:
    """Equal and of the same type all the way down (NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if type(a) is float and math.isnan(a):
        return math.isnan(b)
    if type(a) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if type(a) is BasicDate:
        return a.dt == b.dt and a.date_only == b.date_only
    return a == b


# ---- truth, text, numbers ----------------------------------------------------------------

@pytest.mark.parametrize("value", [False, 0, 0.0, "", "false", "FALSE", "False", "0", None, [], {}])
def test_falsy_values(value):
    assert truthy(value) is False


@pytest.mark.parametrize("value", [True, 1, -1, 0.5, "a", "no", "00", " ", "falsey", [0], {"a": 0},
                                   DAY])
def test_truthy_values(value):
    assert truthy(value) is True


@pytest.mark.parametrize("value, text", [
    (None, ""), (True, "true"), (False, "false"), (5, "5"), (-3, "-3"), (3.5, "3.5"),
    (0.1, "0.1"), (2.0, "2"), (1e21, "1e+21"), (1.5e-7, "1.5e-7"), (float("nan"), "NaN"),
    (float("inf"), "Infinity"), (float("-inf"), "-Infinity"), ("abc", "abc"),
    ([1, "a", None, True], '[1,"a",null,true]'), ({"a": 1, "b": [2.0]}, '{"a":1,"b":[2]}'),
    ({"when": DAY}, '{"when":"2026-11-24"}'), (DAY, "2026-11-24"), (MOMENT, "2026-11-24 19:20:05"),
    (["ação"], '["ação"]'),
])
def test_to_text(value, text):
    assert to_text(value) == text


def test_to_text_of_a_list_containing_itself_raises():
    items = [1]
    items.append(items)
    with pytest.raises(BasicRuntimeError, match="contains itself"):
        to_text(items)


@pytest.mark.parametrize("value, number", [
    (5, 5), (2.5, 2.5), ("12", 12), (" 12 ", 12), ("-3.5", -3.5), ("1e3", 1000), ("3.0", 3),
    ("", 0), ("  ", 0), (None, 0), (True, 1), (False, 0), (".5", 0.5),
])
def test_to_number(value, number):
    result = to_number(value)
    assert result == number and type(result) is type(number)


@pytest.mark.parametrize("value", ["abc", "1,5", "0x1f", "inf", "nan", "1_000", [1], {}, DAY])
def test_to_number_rejects(value):
    with pytest.raises(BasicRuntimeError, match="cannot use"):
        to_number(value)


def test_to_number_message_quotes_the_text():
    with pytest.raises(BasicRuntimeError, match='cannot use "abc" as a number'):
        to_number("abc")


@pytest.mark.parametrize("value, expected", [
    (1, True), (1.5, True), ("12", True), ("-1.5e3", True), ("abc", False), ("", False),
    (None, False), (True, False), ([1], False),
])
def test_is_numeric(value, expected):
    assert is_numeric(value) is expected


@pytest.mark.parametrize("value, name", [
    (None, "null"), (True, "boolean"), (1, "number"), (1.5, "number"), ("a", "text"),
    ([], "list"), ({}, "object"), (DAY, "date"),
])
def test_type_name(value, name):
    assert type_name(value) == name


# ---- arithmetic --------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, result", [
    (2, 3, 5), (1.5, 1.5, 3), (0.1, 0.2, 0.1 + 0.2), ("a", "b", "ab"), ("5", 3, "53"),
    (3, "5", "35"), (None, "x", "x"), ("x", None, "x"), (None, 2, 2), (None, None, 0),
    (True, 1, 2), ("n=", True, "n=true"), ([1], [2, 3], [1, 2, 3]), ("d:", DAY, "d:2026-11-24"),
])
def test_op_add(a, b, result):
    value = op_add(a, b)
    assert value == result and type(value) is type(result)


def test_op_add_date_and_days():
    assert same(op_add(DAY, 7), BasicDate(datetime(2026, 12, 1), date_only=True))
    assert same(op_add(2, DAY), BasicDate(datetime(2026, 11, 26), date_only=True))
    assert same(op_add(DAY, 0.5), BasicDate(datetime(2026, 11, 24, 12)))


@pytest.mark.parametrize("a, b", [([1], 2), ({}, {}), (DAY, DAY), ({"a": 1}, 1)])
def test_op_add_rejects(a, b):
    with pytest.raises(BasicRuntimeError, match="cannot add"):
        op_add(a, b)


def test_op_add_enforces_string_limit():
    with pytest.raises(BasicLimitError, match="string longer than 10 characters"):
        op_add("abcdef", "ghijk", TINY)
    assert op_add("abcde", "fghij", limits=TINY) == "abcdefghij"


def test_op_add_enforces_list_limit():
    with pytest.raises(BasicLimitError, match="list longer than 3 items"):
        op_add([1, 2], [3, 4], TINY)


def test_op_concat_joins_text_and_enforces_limit():
    assert op_concat(5, None) == "5"
    assert op_concat(True, [1]) == "true[1]"
    with pytest.raises(BasicLimitError):
        op_concat("abcdef", 123456, limits=TINY)


@pytest.mark.parametrize("op, a, b, result", [
    (op_sub, 5, 3, 2), (op_sub, "10", 4, 6), (op_sub, 2.5, 0.5, 2), (op_sub, None, 1, -1),
    (op_mul, 6, 7, 42), (op_mul, "2", "3", 6), (op_mul, 1.5, 2, 3), (op_mul, 0.5, 0.5, 0.25),
    (op_div, 7, 2, 3.5), (op_div, 6, 2, 3), (op_div, 1, 3, 1 / 3), (op_div, "9", 3, 3),
    (op_mod, 7, 3, 1), (op_mod, -7, 3, -1), (op_mod, 7, -3, 1), (op_mod, 7.5, 2, 1.5),
    (op_pow, 2, 10, 1024), (op_pow, 2, -1, 0.5), (op_pow, 4, 0.5, 2), (op_pow, "3", 2, 9),
])
def test_arithmetic(op, a, b, result):
    value = op(a, b)
    assert value == result and type(value) is type(result)


@pytest.mark.parametrize("op", [op_div, op_mod])
def test_division_by_zero(op):
    with pytest.raises(BasicRuntimeError, match="division by zero"):
        op(1, 0)


def test_zero_to_a_negative_power_is_division_by_zero():
    with pytest.raises(BasicRuntimeError, match="division by zero"):
        op_pow(0, -1)


def test_fractional_power_of_negative_raises():
    with pytest.raises(BasicRuntimeError, match="negative number"):
        op_pow(-8, 0.5)


def test_power_overflow_raises():
    with pytest.raises(BasicRuntimeError, match="number too large"):
        op_pow(10.0, 400)


def test_huge_integers_become_floats():
    assert type(op_pow(10, 30)) is float
    assert type(op_mul(2**62, 4)) is float
    assert op_pow(2, 62) == 2**62 and type(op_pow(2, 62)) is int


@pytest.mark.parametrize("op", [op_sub, op_mul, op_div, op_mod, op_pow])
def test_arithmetic_on_text_raises_runtime_error(op):
    with pytest.raises(BasicRuntimeError, match='"abc"'):
        op(1, "abc")


@pytest.mark.parametrize("op", [op_sub, op_mul, op_div])
def test_arithmetic_on_lists_raises_runtime_error(op):
    with pytest.raises(BasicRuntimeError, match="list"):
        op([1], 1)


def test_date_subtraction():
    assert op_sub(BasicDate(datetime(2026, 12, 1), True), DAY) == 7
    assert same(op_sub(DAY, 1), BasicDate(datetime(2026, 11, 23), date_only=True))


def test_date_arithmetic_out_of_range():
    with pytest.raises(BasicRuntimeError, match="date out of range"):
        op_add(DAY, 10**7)


@pytest.mark.parametrize("value, result", [(5, -5), (-2.5, 2.5), ("3", -3), (None, 0), (True, -1)])
def test_op_neg(value, result):
    assert op_neg(value) == result


def test_op_not_uses_truth():
    assert op_not("false") is True and op_not("x") is False


# ---- comparison --------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    (1, 1), (1, 1.0), ("1.0", 1), ("01", "1"), ("abc", "abc"), (None, None), (None, ""),
    ("", None), (True, True), (True, "true"), (True, 1), (DAY, "2026-11-24"),
    (DAY, BasicDate(datetime(2026, 11, 24))), (MOMENT, "2026-11-24T19:20:05"),
    ([1, "2"], [1, 2]), ({"a": [1]}, {"a": [1.0]}),
])
def test_equal(a, b):
    assert op_eq(a, b) is True and op_eq(b, a) is True and op_ne(a, b) is False


@pytest.mark.parametrize("a, b", [
    ("abc", "ABC"), (1, 2), (None, 0), (None, False), ("1", "x"), (True, "True"), (1, "one"),
    (DAY, "2026-11-25"), (DAY, "soon"), (DAY, 1), ([1], [1, 2]), ({"a": 1}, {"b": 1}), ([], {}),
])
def test_not_equal(a, b):
    assert op_eq(a, b) is False and op_eq(b, a) is False and op_ne(a, b) is True


@pytest.mark.parametrize("a, b", [
    (1, 2), (1.5, 2), ("9", "10"), ("9", 10), ("apple", "banana"), ("B", "a"), (None, 1),
    (None, "a"), (False, True), (DAY, MOMENT), ("2026-01-01", DAY), (-1, None),
])
def test_less_than(a, b):
    assert op_lt(a, b) and op_le(a, b) and op_gt(b, a) and op_ge(b, a)
    assert not op_gt(a, b) and not op_ge(a, b) and not op_lt(b, a)


@pytest.mark.parametrize("a, b", [(2, 2), ("2", 2.0), ("x", "x"), (DAY, "2026-11-24")])
def test_less_or_equal_on_equal_values(a, b):
    assert op_le(a, b) and op_ge(a, b) and not op_lt(a, b) and not op_gt(a, b)


@pytest.mark.parametrize("a, b", [([1], 1), ({}, "a"), (1, [2])])
def test_comparing_containers_raises(a, b):
    with pytest.raises(BasicRuntimeError, match="cannot compare"):
        op_lt(a, b)


@pytest.mark.parametrize("a, b, expected", [
    ("Hello World", "world", True), ("Hello", "xyz", False), ([1, "a"], "a", True),
    (["1"], 1, True), ([1], 2, False), ({"Name": 1}, "name", True), ({"a": 1}, "b", False),
    (None, "a", False), ("abc", None, False), (12345, 23, True),
])
def test_op_contains(a, b, expected):
    assert op_contains(a, b) is expected


@pytest.mark.parametrize("text, pattern, expected", [
    ("hello", "h%", True), ("Hello", "%LLO", True), ("hello", "h_llo", True),
    ("hello", "h_lo", False), ("a.c", "a.c", True), ("abc", "a.c", False), ("50%", "50%", True),
    ("line\nbreak", "line%", True), (None, "%", False), (12, "1%", True),
])
def test_op_like(text, pattern, expected):
    assert op_like(text, pattern) is expected


@pytest.mark.parametrize("a, b, result", [(None, "d", "d"), ("", "d", "d"), (0, "d", 0),
                                          ("x", "d", "x"), (False, "d", False)])
def test_op_coalesce(a, b, result):
    assert op_coalesce(a, b) == result


# ---- members and indexes -----------------------------------------------------------------

def test_get_member_exact_then_case_insensitive():
    obj = {"Name": "exact-upper", "name": "exact-lower"}
    assert get_member(obj, "name") == "exact-lower"
    assert get_member({"UserName": "ana"}, "username") == "ana"


@pytest.mark.parametrize("obj, name, value", [
    ({"a": 1}, "b", None), (None, "x", None), ([1, 2], "length", 2), ([1, 2], "Count", 2),
    ("abc", "length", 3), ("abc", "count", None), ([1], "push", None), (5, "x", None),
    (MOMENT, "year", 2026), (MOMENT, "month", 11), (MOMENT, "day", 24), (MOMENT, "hour", 19),
    (MOMENT, "minute", 20), (MOMENT, "second", 5), (MOMENT, "weekday", 3), (DAY, "Year", 2026),
    (DAY, "dt", None), (DAY, "date_only", None),
])
def test_get_member(obj, name, value):
    assert get_member(obj, name) == value


@pytest.mark.parametrize("name", ["__class__", "__dict__", "upper", "append", "__len__", "real"])
def test_get_member_never_exposes_python_attributes(name):
    for obj in ("abc", [1], 5, 2.5, True, DAY):
        assert get_member(obj, name) is None


def test_set_member_updates_matching_key_or_adds():
    obj = {"Name": "a"}
    set_member(obj, "name", "b")
    set_member(obj, "age", 3)
    assert obj == {"Name": "b", "age": 3}


@pytest.mark.parametrize("target", [None, [1], "abc", 5, DAY])
def test_set_member_on_non_object_raises(target):
    with pytest.raises(BasicRuntimeError, match="cannot set member"):
        set_member(target, "x", 1)


def test_set_member_respects_list_limit():
    obj = {"a": 1, "b": 2, "c": 3}
    set_member(obj, "a", 9, limits=TINY)
    with pytest.raises(BasicLimitError):
        set_member(obj, "d", 4, limits=TINY)


@pytest.mark.parametrize("obj, index, value", [
    ([10, 20], 0, 10), ([10, 20], 1, 20), ([10, 20], 2, None), ([10, 20], -1, None),
    ([10, 20], "1", 20), ([10, 20], 1.0, 20), ({"a": 1}, "A", 1), ({"1": "x"}, 1, "x"),
    ("abc", 1, "b"), ("abc", 9, None), (None, 0, None),
])
def test_get_index(obj, index, value):
    assert get_index(obj, index) == value


@pytest.mark.parametrize("obj, index", [([1], 0.5), ([1], "x"), (5, 0), (DAY, 0), (True, 0)])
def test_get_index_rejects(obj, index):
    with pytest.raises(BasicRuntimeError):
        get_index(obj, index)


def test_set_index_replaces_appends_and_rejects_gaps():
    items = [1, 2]
    set_index(items, 0, "a")
    set_index(items, 2, "c")
    assert items == ["a", 2, "c"]
    with pytest.raises(BasicRuntimeError, match="out of range"):
        set_index(items, 5, "x")


def test_set_index_on_object_and_limits():
    obj = {}
    set_index(obj, 7, "seven")
    assert obj == {"7": "seven"}
    with pytest.raises(BasicLimitError):
        set_index([1, 2, 3], 3, 4, limits=TINY)
    with pytest.raises(BasicRuntimeError, match="cannot set an item"):
        set_index("abc", 0, "x")


def test_size_checks():
    assert check_string_size("abc", TINY) == "abc"
    assert check_list_size([1], TINY) == [1]
    with pytest.raises(BasicLimitError, match="string longer"):
        check_string_size("x" * 11, TINY)
    with pytest.raises(BasicLimitError, match="list longer"):
        check_list_size([0] * 4, TINY)


# ---- dates -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2026-11-24", DAY), ("2026-11-24T19:20:05", MOMENT), ("2026-11-24 19:20:05", MOMENT),
    ("2026-11-24T19:20:05.999Z", MOMENT), ("2026-11-24T19:20:05-03:00", MOMENT),
    ("24/11/2026", DAY), ("24/11/2026 19:20:05", MOMENT),
])
def test_date_parse(text, expected):
    assert same(BasicDate.parse(text), expected)


@pytest.mark.parametrize("text", ["20261124", "2026-13-01", "31/02/2026", "tomorrow", "", "2026"])
def test_date_parse_rejects(text):
    assert BasicDate.parse(text) is None


def test_dates_are_hashable_and_immutable():
    assert len({DAY, BasicDate(datetime(2026, 11, 24)), MOMENT}) == 2
    with pytest.raises(AttributeError):
        DAY.date_only = False


# ---- methods -----------------------------------------------------------------------------

@pytest.mark.parametrize("obj, name, args, result", [
    ("  hi  ", "trim", [], "hi"), ("  hi", "trimStart", [], "hi"), ("hi  ", "TRIMEND", [], "hi"),
    ("Ab", "toUpperCase", [], "AB"), ("Ab", "upper", [], "AB"), ("Ab", "toLowerCase", [], "ab"),
    ("Ab", "lower", [], "ab"), ("abc", "length", [], 3), ("Hello", "includes", ["ELL"], True),
    ("Hello", "contains", ["x"], False), ("Hello", "startsWith", ["He"], True),
    ("Hello", "startsWith", ["he"], False), ("Hello", "endsWith", ["lo"], True),
    ("hello", "indexOf", ["l"], 2), ("hello", "indexOf", ["z"], -1), ("hello", "indexOf", ["l", 3], 3),
    ("hello", "lastIndexOf", ["l"], 3), ("a,b,c", "split", [","], ["a", "b", "c"]),
    ("a  b", "split", [], ["a", "b"]), ("ab", "split", [""], ["a", "b"]),
    ("a-a-a", "replace", ["a", "b"], "b-b-b"), ("abc", "replace", ["", "x"], "abc"),
    ("abcdef", "substring", [1, 3], "bc"), ("abcdef", "substring", [3, 1], "bc"),
    ("abcdef", "substring", [-2], "abcdef"), ("abcdef", "substr", [1, 3], "bcd"),
    ("abcdef", "substr", [-2], "ef"), ("abcdef", "slice", [-3], "def"),
    ("abcdef", "slice", [1, -1], "bcde"), ("abc", "charAt", [1], "b"), ("abc", "charAt", [9], ""),
    ("5", "padStart", [3, "0"], "005"), ("5", "padEnd", [3], "5  "), ("ab", "padStart", [5, "xy"], "xyxab"),
    ("ab", "repeat", [3], "ababab"), ("ab", "toString", [], "ab"),
    ([3, 1, 2], "sort", [], [1, 2, 3]), ([1, 2], "reverse", [], [2, 1]),
    ([1, 2, 3], "slice", [1], [2, 3]), ([1], "concat", [[2], 3], [1, 2, 3]),
    ([1, "a"], "join", ["-"], "1-a"), ([1, 2], "join", [], "1,2"), ([1, 2], "indexOf", ["2"], 1),
    ([1, 2], "includes", [3], False), ([1, 2], "contains", [1], True), ([1, 2], "length", [], 2),
    ([1, 2], "count", [], 2), ([1, 2], "first", [], 1), ([1, 2], "last", [], 2),
    ([], "first", [], None), ([1], "toString", [], "[1]"),
    ({"a": 1, "b": 2}, "keys", [], ["a", "b"]), ({"a": 1}, "values", [], [1]),
    ({"a": 1}, "hasOwnProperty", ["a"], True), ({"a": 1}, "has", ["A"], True),
    ({"a": 1}, "contains", ["b"], False), ({"a": 1}, "get", ["a"], 1), ({"a": 1}, "get", ["b", 0], 0),
    ({"a": 1}, "length", [], 1), ({"a": 1}, "toString", [], '{"a":1}'),
    (3.14159, "toFixed", [2], "3.14"), (2.5, "toFixed", [], "3"), (1.005, "toFixed", [2], "1.01"),
    (5, "toFixed", [2], "5.00"), (5, "toString", [], "5"), (True, "toString", [], "true"),
    (MOMENT, "toISOString", [], "2026-11-24T19:20:05"), (MOMENT, "format", ["DD/MM/YYYY"], "24/11/2026"),
    (DAY, "toString", [], "2026-11-24"),
])
def test_call_method(obj, name, args, result):
    assert call_method(obj, name, args) == result


def test_list_methods_mutate():
    items = [1]
    assert call_method(items, "push", [2, 3]) == 3
    assert call_method(items, "unshift", [0]) == 4
    assert call_method(items, "pop", []) == 3
    assert call_method(items, "shift", []) == 0
    assert items == [1, 2]
    assert call_method([], "pop", []) is None


def test_list_copying_methods_do_not_mutate():
    items = [2, 1]
    call_method(items, "sort", [])
    call_method(items, "reverse", [])
    assert items == [2, 1]


@pytest.mark.parametrize("obj, name, args", [
    ("ab", "repeat", [6]), ("ab", "padStart", [11]), ("aaaaaaa", "replace", ["a", "bb"]),
    ([1, 2], "push", [3, 4]), ([1, 2, 3], "unshift", [0]), ([1, 2], "concat", [[3, 4]]),
])
def test_methods_enforce_limits(obj, name, args):
    with pytest.raises(BasicLimitError):
        call_method(obj, name, args, limits=TINY)


@pytest.mark.parametrize("obj, name", [
    ("abc", "__class__"), ("abc", "__len__"), ("abc", "format"), ("abc", "encode"), ([1], "clear"),
    ([1], "__getitem__"), ({}, "__class__"), ({}, "update"), ({}, "items"), (5, "__add__"),
    (5, "bit_length"), (DAY, "dt"), (DAY, "__init__"), (DAY, "parse"), (True, "__class__"),
])
def test_call_method_never_reaches_python(obj, name):
    with pytest.raises(BasicRuntimeError, match=f"unknown method {name} for"):
        call_method(obj, name, [])


def test_call_method_on_null_raises():
    with pytest.raises(BasicRuntimeError, match="cannot call method trim on NULL"):
        call_method(None, "trim", [])


def test_call_method_checks_argument_count():
    with pytest.raises(BasicRuntimeError, match="startsWith expects 1 argument, got 0"):
        call_method("abc", "startsWith", [])
    with pytest.raises(BasicRuntimeError, match="trim expects 0 arguments, got 1"):
        call_method("abc", "trim", ["x"])


def test_call_method_negative_repeat_raises():
    with pytest.raises(BasicRuntimeError, match="negative"):
        call_method("a", "repeat", [-1])


# ---- JSON text and the state codec -------------------------------------------------------

def test_from_json_text_parses_objects():
    assert from_json_text('{"a": [1, 2.5, "x", null, true]}') == {"a": [1, 2.5, "x", None, True]}


@pytest.mark.parametrize("text", ["{bad", "", "NaN", "[1,]", "{'a': 1}"])
def test_from_json_text_rejects(text):
    with pytest.raises(BasicRuntimeError, match="invalid JSON"):
        from_json_text(text)


def test_from_json_text_turns_huge_integers_into_floats():
    assert type(from_json_text("1" * 30)) is float


def test_to_json_text_is_compact():
    assert to_json_text({"a": [1, 2.0, DAY, float("nan")], "b": "é"}) == \
        '{"a":[1,2,"2026-11-24",null],"b":"é"}'


def test_encode_marks_dates_floats_and_dollar_keys():
    encoded = encode_value({"$date": DAY, "n": 2.0, "$$x": 1})
    assert encoded == {"$$date": {"$date": "2026-11-24T00:00:00", "date_only": True},
                       "n": {"$float": "2.0"}, "$$$x": 1}


def test_encode_rejects_self_containing_lists():
    items = []
    items.append(items)
    with pytest.raises(BasicRuntimeError, match="contains itself"):
        encode_value(items)


def test_encode_keeps_shared_sublists():
    shared = [1]
    assert decode_value(encode_value([shared, shared])) == [[1], [1]]


dates = st.builds(
    BasicDate,
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.booleans(),
)
# what jsonb can hold: no NUL character, no half surrogate pair, no Infinity or NaN (see below)
storable_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
scalars = (st.none() | st.booleans() | st.integers(-(2**63), 2**63)
           | st.floats(allow_nan=False, allow_infinity=False) | storable_text | dates)
keys = storable_text | storable_text.map(lambda k: "$" + k) | st.sampled_from(["$date", "$float", "$$date"])
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=30,
)


@given(values)
def test_state_codec_round_trips_exactly(value):
    text = json.dumps(encode_value(value), allow_nan=False)
    assert same(decode_value(json.loads(text)), value)


@given(values)
def test_to_text_never_raises_python_errors(value):
    assert isinstance(to_text(value), str)


@pytest.mark.parametrize("days", [float("nan"), float("inf"), 10**18])
def test_adding_impossible_day_counts_to_a_date_raises(days):
    with pytest.raises(BasicRuntimeError, match="date out of range"):
        op_add(DAY, days)


@pytest.mark.parametrize("value, message", [
    (float("inf"), "number too large to save (Infinity)"),
    ([1, {"a": float("-inf")}], "number too large to save (Infinity)"),
    (float("nan"), "NaN (not a number) cannot be saved"),
    ("a\x00b", "text with the NUL character (\\u0000) cannot be saved"),
    ({"k\x00": 1}, "text with the NUL character (\\u0000) cannot be saved"),
    (["ok", "x\ud800y"], "text with half of a surrogate pair (\\ud800) cannot be saved"),
])
def test_what_jsonb_cannot_hold_is_refused_when_encoded(value, message):
    with pytest.raises(BasicRuntimeError) as info:
        encode_value(value)
    assert info.value.message == message


def test_old_states_holding_infinity_still_decode():
    assert decode_value({"$float": "inf"}) == float("inf")
    assert math.isnan(decode_value({"$float": "nan"}))


@pytest.mark.parametrize("compute", [
    lambda: op_mul(1e308, 10), lambda: op_add(1e308, 1e308), lambda: op_sub(-1e308, 1e308),
    lambda: op_div(1e308, 1e-308), lambda: op_pow(10.0, 400), lambda: op_mod(float("inf"), 2),
    lambda: op_mul("1e308", 10),
])
def test_arithmetic_never_makes_infinity(compute):
    with pytest.raises(BasicRuntimeError, match="number too large"):
        compute()


@pytest.mark.parametrize("text", ["1e999", "-1e999", "9" * 400])
def test_numeric_text_beyond_the_float_range_is_not_a_number(text):
    with pytest.raises(BasicRuntimeError, match="as a number"):
        to_number(text)


@pytest.mark.parametrize("text", ["1e999", "[1, -1e400]", '{"a": ' + "9" * 400 + "}"])
def test_json_numbers_beyond_the_float_range_are_refused(text):
    with pytest.raises(BasicRuntimeError, match="is too large"):
        from_json_text(text)


def test_encoding_counts_shared_references_each_time():
    text = "x" * 1000
    ten = [text] * 10
    assert len(json.dumps(encode_value(ten, 11_000))) > 10_000
    with pytest.raises(BasicLimitError, match="more than 9000 bytes"):
        encode_value(ten, 9000)


def test_a_value_doubling_by_reference_stops_the_walk_early():
    v = [1]
    for _ in range(60):  # 2**60 items reached: only a walk that stops early ends
        v = [v, v]
    with pytest.raises(BasicLimitError):
        encode_value(v, 100_000)
    with pytest.raises(BasicLimitError, match="string longer than 1000 characters"):
        to_json_text(v, 1000)


def test_json_text_stops_at_the_limit_counting_shared_references():
    s = "x" * 100
    nested = [[s] * 10] * 10  # 100 references: about 10 300 characters of JSON
    assert len(to_json_text(nested, 20_000)) == 10_321
    with pytest.raises(BasicLimitError, match="string longer than 10000 characters"):
        to_json_text(nested, 10_000)
    with pytest.raises(BasicLimitError, match="string longer than 10000 characters"):
        op_concat("a", nested, Limits(string_length=10_000))


def test_to_fixed_on_huge_numbers():
    assert call_method(1e300, "toFixed", [1]) == "1" + "0" * 300 + ".0"


def test_dates_copy_and_pickle():
    import copy
    import pickle

    assert copy.deepcopy([MOMENT])[0] == MOMENT
    assert same(pickle.loads(pickle.dumps(DAY)), DAY)


def test_count_and_length_of_an_object_give_its_size_unless_it_has_such_a_key():
    assert get_member({"a": 1, "b": 2}, "count") == 2
    assert get_member({"a": 1}, "Length") == 1
    assert get_member({"count": 7, "a": 1}, "count") == 7
