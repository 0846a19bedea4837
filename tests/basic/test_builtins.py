"""Every builtin function: semantics, coercions, FORMAT masks, dates on a fixed clock, errors."""

import ast
import pathlib
import re
import uuid
from datetime import datetime

import pytest

from generalbots.basic.builtins import BUILTINS, call_builtin, set_clock, set_random_seed
from generalbots.basic.errors import BasicLimitError, BasicRuntimeError
from generalbots.basic.limits import Limits
from generalbots.basic.values import BasicDate

FIXED_NOW = datetime(2026, 11, 24, 19, 20, 5)  # a Tuesday
DAY = BasicDate(datetime(2026, 11, 24), date_only=True)
MOMENT = BasicDate(FIXED_NOW)
TINY = Limits(string_length=10, list_length=3)
BASIC_MD_BUILTINS = """NOW TODAY FORMAT UBOUND LEN RANDOM FIRST LAST DATEADD DATEDIFF LCASE UCASE
LOWER UPPER INSTR REPLACE COUNT MID LEFT RIGHT SPLIT JOIN SUM AVG MIN MAX ABS ROUND INT VAL STR
TRIM IIF GUID UUID DAY MONTH YEAR HOUR WEEKDAY ISEMPTY ISNULL NVL COALESCE PUSH CONTAINS FILTER
TOJSON JSON""".split()
EXTRAS = """LTRIM RTRIM STARTSWITH ENDSWITH ISNUMBER ISNUMERIC ISDATE CINT CDBL CSTR CBOOL NUMBER
FLOOR CEIL SQRT LBOUND ARRAY KEYS VALUES SORT UNIQUE REVERSE CHR ASC SPACE STRING PARSEJSON
MINUTE SECOND DATE DATEVALUE TIME ISARRAY ISOBJECT TYPEOF""".split()
PEOPLE = [
    {"name": "Ana", "age": 30, "city": "Rio"},
    {"name": "Bruno", "age": "25", "city": "São Paulo"},
    {"name": "Carla", "age": 41, "city": "rio"},
]


@pytest.fixture(autouse=True)
def fixed_clock():
    set_clock(lambda: FIXED_NOW)
    yield
    set_clock(None)


def call(name, *args, **kwargs):
    return call_builtin(name, list(args), **kwargs)


def check(name, args, expected):
    result = call(name, *args)
    assert result == expected and type(result) is type(expected), (name, args, result)


# ---- registry ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", BASIC_MD_BUILTINS + EXTRAS)
def test_every_documented_builtin_is_registered(name):
    assert BUILTINS[name.lower()].name == name


def test_registry_keys_are_lower_case():
    assert all(key == key.lower() and entry.name == key.upper() for key, entry in BUILTINS.items())


def test_arity_errors_name_function_count_and_line():
    with pytest.raises(BasicRuntimeError) as info:
        call("len", "a", "b", line=7)
    assert str(info.value) == "line 7: LEN expects 1 argument, got 2"
    with pytest.raises(BasicRuntimeError, match="MID expects 2 to 3 arguments, got 1"):
        call("MID", "abc")
    with pytest.raises(BasicRuntimeError, match="SUM expects at least 1 argument, got 0"):
        call("sum")
    with pytest.raises(BasicRuntimeError, match="NOW expects 0 arguments, got 1"):
        call("now", 1)


def test_unknown_function():
    with pytest.raises(BasicRuntimeError, match="unknown function nope"):
        call("nope")


def test_errors_from_builtins_carry_the_line():
    with pytest.raises(BasicRuntimeError) as info:
        call("MID", [1], 1, line=12)
    assert info.value.line == 12 and info.value.message == "MID expects text, got list"


def test_builtins_import_no_framework():
    package = pathlib.Path(__file__).parents[2] / "generalbots" / "basic"
    for path in [*package.joinpath("values").glob("*.py"), *package.joinpath("builtins").glob("*.py")]:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            assert not any(n.split(".")[0] in ("django", "celery", "channels") for n in names), path


# ---- text --------------------------------------------------------------------------------

@pytest.mark.parametrize("name, args, expected", [
    ("LEN", ["hello"], 5), ("LEN", [""], 0), ("LEN", [None], 0), ("LEN", [[1, 2]], 2),
    ("LEN", [{"a": 1}], 1), ("LEN", [123], 3), ("LEN", [2.5], 3),
    ("LCASE", ["AbC"], "abc"), ("LOWER", ["ÁB"], "áb"), ("UCASE", ["abc"], "ABC"),
    ("UPPER", [None], ""), ("LCASE", [None], ""), ("UCASE", [12], "12"),
    ("TRIM", ["  a b  "], "a b"), ("LTRIM", ["  a "], "a "), ("RTRIM", [" a  "], " a"),
    ("TRIM", [None], ""), ("STR", [5], "5"), ("STR", [3.5], "3.5"), ("STR", [2.0], "2"),
    ("STR", [True], "true"), ("STR", [None], ""), ("CSTR", [DAY], "2026-11-24"),
    ("INSTR", ["hello", "l"], 3), ("INSTR", ["hello", "z"], 0), ("INSTR", ["hello", "H"], 0),
    ("INSTR", [4, "hello", "l"], 4), ("INSTR", [5, "hello", "l"], 0), ("INSTR", [9, "hi", "h"], 0),
    ("INSTR", [None, "a"], 0), ("INSTR", ["abc", ""], 1), ("INSTR", [0, "abc", "a"], 1),
    ("REPLACE", ["a-b-c", "-", "+"], "a+b+c"), ("REPLACE", ["Hi {name}", "{name}", "Ana"], "Hi Ana"),
    ("REPLACE", ["abc", "", "x"], "abc"), ("REPLACE", [None, "a", "b"], ""),
    ("REPLACE", ["aA", "a", None], "A"), ("REPLACE", ["v=1", 1, 2], "v=2"),
    ("MID", ["hello", 2, 3], "ell"), ("MID", ["hello", 2], "ello"), ("MID", ["hello", 0, 2], "he"),
    ("MID", ["hello", 9], ""), ("MID", ["hello", 4, 99], "lo"), ("MID", ["hello", 2, -1], ""),
    ("LEFT", ["hello", 2], "he"), ("LEFT", ["hello", 99], "hello"), ("LEFT", ["hello", -1], ""),
    ("RIGHT", ["hello", 3], "llo"), ("RIGHT", ["hello", 0], ""), ("RIGHT", ["hi", 5], "hi"),
    ("SPLIT", ["a,b,,c", ","], ["a", "b", "", "c"]), ("SPLIT", ["a b\tc\n"], ["a", "b", "c"]),
    ("SPLIT", ["abc", ""], ["a", "b", "c"]), ("SPLIT", [None, ","], []), ("SPLIT", ["", ","], [""]),
    ("SPLIT", ["a; b", "; "], ["a", "b"]),
    ("STARTSWITH", ["Hello", "He"], True), ("STARTSWITH", ["Hello", "he"], False),
    ("ENDSWITH", ["Hello", "lo"], True), ("ENDSWITH", [None, "x"], False),
    ("CHR", [65], "A"), ("CHR", [10], "\n"), ("ASC", ["A"], 65), ("ASC", ["ção"], 231),
    ("SPACE", [3], "   "), ("SPACE", [-1], ""), ("STRING", [3, "ab"], "aaa"), ("STRING", [2, 42], "**"),
])
def test_text_builtins(name, args, expected):
    check(name, args, expected)


@pytest.mark.parametrize("name, args, message", [
    ("MID", [[1], 1], "MID expects text, got list"), ("UCASE", [{}], "UCASE expects text, got object"),
    ("LEFT", ["abc", "x"], 'LEFT expects a number, got "x"'), ("CHR", [-1], "CHR expects a character"),
    ("CHR", [0xD800], "CHR expects a character"), ("ASC", [""], "non-empty"),
    ("STRING", [2, ""], "character to repeat"), ("SPLIT", [[1]], "SPLIT expects text, got list"),
])
def test_text_builtin_errors(name, args, message):
    with pytest.raises(BasicRuntimeError, match=re.escape(message)):
        call(name, *args)


@pytest.mark.parametrize("name, args", [
    ("REPLACE", ["aaaaaa", "a", "bb"]), ("SPACE", [11]), ("STRING", [11, "x"]),
    ("SPLIT", ["a,b,c,d", ","]), ("JOIN", [["abcdef", "ghijk"], ""]), ("PUSH", [[1, 2, 3], 4]),
])
def test_builtins_enforce_limits(name, args):
    with pytest.raises(BasicLimitError):
        call(name, *args, limits=TINY)


# ---- numbers -----------------------------------------------------------------------------

@pytest.mark.parametrize("name, args, expected", [
    ("ABS", [-3], 3), ("ABS", [-2.5], 2.5), ("ABS", ["-4"], 4),
    ("ROUND", [2.5], 3), ("ROUND", [-2.5], -3), ("ROUND", [3.14159, 2], 3.14), ("ROUND", [1.005, 2], 1.01),
    ("ROUND", [2.675, 2], 2.68), ("ROUND", [1234, -2], 1200), ("ROUND", [1250, -2], 1300),
    ("ROUND", ["7.5"], 8), ("ROUND", [7], 7), ("ROUND", [0.5], 1), ("ROUND", [1.4999], 1),
    ("ROUND", [2.0, 1], 2),
    ("INT", [3.7], 3), ("INT", [-3.2], -4), ("INT", ["9.9"], 9), ("FLOOR", [2.5], 2),
    ("CEIL", [2.1], 3), ("CEIL", [-2.1], -2), ("CINT", [2.5], 3), ("CINT", ["3.49"], 3),
    ("SQRT", [16], 4), ("SQRT", [2], 2**0.5), ("CDBL", ["2"], 2.0), ("NUMBER", ["12.5"], 12.5),
    ("NUMBER", [None], 0), ("ISNUMBER", ["12"], True), ("ISNUMERIC", ["12a"], False),
    ("ISNUMERIC", [3.5], True), ("ISNUMERIC", [""], False),
    ("VAL", ["12"], 12), ("VAL", ["12.5"], 12.5), ("VAL", ["12,5"], 12.5), ("VAL", ["abc"], 0),
    ("VAL", ["12abc"], 12), ("VAL", [" -3.5 kg"], -3.5), ("VAL", ["1.234,56"], 1234.56),
    ("VAL", ["1,234.56"], 1234.56), ("VAL", ["1.234.567"], 1234567), ("VAL", [""], 0),
    ("VAL", [None], 0), ("VAL", [7], 7), ("VAL", [True], 1), ("VAL", [[1]], 0), ("VAL", ["1e3"], 1),
    ("VAL", ["R$ 10"], 0), ("VAL", ["10."], 10),
    ("SUM", [[1, 2, 3]], 6), ("SUM", [1, 2.5], 3.5), ("SUM", [["1", "2", None]], 3), ("SUM", [[]], 0),
    ("SUM", [0.5, 0.5], 1), ("AVG", [[1, 2, 3, 4]], 2.5), ("AVG", [2, 4], 3), ("AVG", [[]], 0),
    ("MIN", [[3, 1, 2]], 1), ("MIN", [3, "10", 2], 2), ("MAX", [[3, 1, 2]], 3), ("MAX", ["9", "10"], "10"),
    ("MAX", [["apple", "pear"]], "pear"), ("MIN", [[]], None), ("MAX", [[None, 1]], 1),
    ("MIN", [[DAY, MOMENT]], DAY),
])
def test_number_builtins(name, args, expected):
    check(name, args, expected)


@pytest.mark.parametrize("name, args, message", [
    ("ABS", ["abc"], 'ABS expects a number, got "abc"'), ("ROUND", [[1]], "ROUND expects a number, got list"),
    ("SQRT", [-1], "not negative"), ("SUM", [[{"a": 1}]], "SUM expects numbers, got object"),
    ("SUM", [["x"]], 'SUM expects a number, got "x"'), ("INT", [float("inf")], "finite"),
    ("MAX", [[1], [2]], "cannot compare"),
])
def test_number_builtin_errors(name, args, message):
    with pytest.raises(BasicRuntimeError, match=re.escape(message)):
        call(name, *args)


def test_random_is_repeatable_and_in_range():
    set_random_seed(42)
    first = [call("RANDOM"), call("RANDOM", 6), call("RANDOM", 1, 3), call("GUID")]
    set_random_seed(42)
    assert [call("RANDOM"), call("RANDOM", 6), call("RANDOM", 1, 3), call("GUID")] == first
    set_random_seed(None)


@pytest.mark.parametrize("args, low, high, kind", [([], 0, 0.999999, float), ([6], 0, 5, int),
                                                   ([1, 3], 1, 3, int), ([3, 1], 1, 3, int),
                                                   ([1], 0, 0, int)])
def test_random_ranges(args, low, high, kind):
    set_random_seed(7)
    results = [call("RANDOM", *args) for _ in range(200)]
    set_random_seed(None)
    assert all(low <= r <= high and type(r) is kind for r in results)


def test_random_rejects_empty_range():
    with pytest.raises(BasicRuntimeError, match="at least 1"):
        call("RANDOM", 0)


@pytest.mark.parametrize("name", ["GUID", "UUID"])
def test_guid_is_a_lowercase_uuid4(name):
    value = call(name)
    assert value == value.lower() and uuid.UUID(value).version == 4
    assert call(name) != value


# ---- dates -------------------------------------------------------------------------------

def test_now_and_today_read_the_clock():
    now, today = call("NOW"), call("TODAY")
    assert now == MOMENT and not now.date_only and str(now) == "2026-11-24 19:20:05"
    assert today.date_only and str(today) == "2026-11-24"


def test_set_clock_none_restores_system_time():
    set_clock(None)
    assert call("NOW").dt.year >= 2024


def date(text):
    return BasicDate.parse(text)


@pytest.mark.parametrize("args, expected", [
    ([DAY, 1, "day"], "2026-11-25"), ([DAY, 2], "2026-11-26"), (["d", 1, DAY], "2026-11-25"),
    (["day", -24, DAY], "2026-10-31"), ([DAY, 1, "days"], "2026-11-25"), ([DAY, 1, "DIA"], "2026-11-25"),
    ([DAY, 2, "week"], "2026-12-08"), (["ww", 1, DAY], "2026-12-01"),
    (["2026-01-31", 1, "month"], "2026-02-28"), (["m", 1, "2028-01-31"], "2028-02-29"),
    ([DAY, 3, "months"], "2027-02-24"), ([DAY, -1, "year"], "2025-11-24"), (["yyyy", 2, DAY], "2028-11-24"),
    ([DAY, 1, "quarter"], "2027-02-24"), ([MOMENT, 2, "hours"], "2026-11-24 21:20:05"),
    (["h", 5, MOMENT], "2026-11-25 00:20:05"), ([MOMENT, 30, "minute"], "2026-11-24 19:50:05"),
    (["n", -20, MOMENT], "2026-11-24 19:00:05"), ([MOMENT, 55, "s"], "2026-11-24 19:21:00"),
    ([DAY, 6, "hour"], "2026-11-24 06:00:00"), ([DAY, 1.5, "day"], "2026-11-25 12:00:00"),
    (["24/11/2026", 1, "day"], "2026-11-25"), ([DAY, "2", "day"], "2026-11-26"),
])
def test_dateadd(args, expected):
    assert str(call("DATEADD", *args)) == expected


@pytest.mark.parametrize("args, message", [
    ([DAY, 1, "fortnight"], 'expects a unit such as "day", got "fortnight"'),
    ([DAY, 1.5, "month"], "whole number of months"), (["soon", 1, "day"], 'expects a date, got "soon"'),
    ([DAY, 10**6, "year"], "date out of range"), ([DAY, 10**12, "day"], "date out of range"),
])
def test_dateadd_errors(args, message):
    with pytest.raises(BasicRuntimeError, match=re.escape(message)):
        call("DATEADD", *args)


@pytest.mark.parametrize("args, expected", [
    ([DAY, "2026-12-01"], 7), (["2026-12-01", DAY], -7), (["d", DAY, "2026-12-25"], 31),
    ([DAY, "2026-12-25", "days"], 31), (["m", "2026-01-31", "2026-02-28"], 0),
    (["m", "2026-01-15", "2026-03-15"], 2), (["month", "2026-03-15", "2026-01-16"], -1),
    (["yyyy", "1990-11-25", DAY], 35), (["yyyy", "1990-11-24", DAY], 36), (["q", "2026-01-01", DAY], 3),
    (["h", DAY, MOMENT], 19), (["n", DAY, MOMENT], 1160), (["s", "2026-11-24 19:20:00", MOMENT], 5),
    (["w", DAY, "2026-12-08"], 2), (["d", MOMENT, "2026-11-25 19:20:04"], 0),
    (["d", "2026-11-25 19:20:04", MOMENT], 0), ([MOMENT, "2026-11-25 19:20:06"], 1),
])
def test_datediff(args, expected):
    check("DATEDIFF", args, expected)


def test_datediff_rejects_unknown_unit():
    with pytest.raises(BasicRuntimeError, match="DATEDIFF expects a unit"):
        call("DATEDIFF", DAY, DAY, "eons")


@pytest.mark.parametrize("name, value, expected", [
    ("DAY", MOMENT, 24), ("MONTH", MOMENT, 11), ("YEAR", MOMENT, 2026), ("HOUR", MOMENT, 19),
    ("MINUTE", MOMENT, 20), ("SECOND", MOMENT, 5), ("WEEKDAY", MOMENT, 3),
    ("WEEKDAY", "2026-11-22", 1), ("WEEKDAY", "2026-11-28", 7), ("DAY", "2026-02-03", 3),
    ("MONTH", "03/02/2026", 2), ("HOUR", "2026-11-24T08:30:00", 8), ("HOUR", DAY, 0),
])
def test_date_fields(name, value, expected):
    check(name, [value], expected)


@pytest.mark.parametrize("name, value", [("DAY", "soon"), ("MONTH", 5), ("YEAR", None), ("HOUR", [1])])
def test_date_fields_reject_non_dates(name, value):
    with pytest.raises(BasicRuntimeError, match=f"{name} expects a date"):
        call(name, value)


def test_date_constructors():
    assert call("DATE") == DAY and call("DATE").date_only
    assert str(call("DATE", 2026, 2, 3)) == "2026-02-03"
    assert call("DATE", "2026-11-24T10:00:00") == date("2026-11-24 10:00")
    assert str(call("DATEVALUE", "2026-11-24T10:00:00")) == "2026-11-24"
    assert call("TIME") == "19:20:05" and call("TIME", "2026-01-01 08:09:10") == "08:09:10"


@pytest.mark.parametrize("args, message", [([2026, 2, 30], "expects a real date, got 2026-2-30"), ([2026, 2], "0, 1 or 3")])
def test_date_constructor_errors(args, message):
    with pytest.raises(BasicRuntimeError, match=message):
        call("DATE", *args)


@pytest.mark.parametrize("value, expected", [(DAY, True), ("2026-11-24", True), ("24/11/2026", True),
                                             ("tomorrow", False), (20261124, False), (None, False)])
def test_isdate(value, expected):
    check("ISDATE", [value], expected)


# ---- FORMAT ------------------------------------------------------------------------------

@pytest.mark.parametrize("value, mask, expected", [
    (1234.5, "#,##0", "1,235"), (1234567, "#,##0", "1,234,567"), (1234.5, "#,##0.00", "1,234.50"),
    (1234.567, "R$ #,##0.00", "R$ 1,234.57"), (-1234.5, "$#,##0.00", "-$1,234.50"),
    (1234.5, "$#,##0.00", "$1,234.50"), (0.256, "0%", "26%"), (0.5, "0.0%", "50.0%"),
    (3.14159, "0.0", "3.1"), (7, "000", "007"), (1234, "000", "1234"), (2.5, "0", "3"),
    (-2.5, "0", "-3"), (1234567.891, "#.##0,00", "1.234.567,89"), (0.5, "#.##", ".5"),
    (0, "#,##0.00", "0.00"), (-0.001, "0.00", "0.00"), ("1234.5", "#,##0.00", "1,234.50"),
    (12, "0.00 kg", "12.00 kg"), (999.995, "#,##0.00", "1,000.00"), (5, '"Total: "0', "Total: 5"),
    (float("nan"), "0.00", "NaN"), (True, "0", "1"),
])
def test_format_number_masks(value, mask, expected):
    check("FORMAT", [value, mask], expected)


@pytest.mark.parametrize("mask, expected", [
    ("YYYY-MM-DD", "2026-11-24"), ("yyyy-MM-dd", "2026-11-24"), ("DD/MM/YYYY HH:mm", "24/11/2026 19:20"),
    ("YYYYMMDD", "20261124"), ("MMMM YYYY", "November 2026"), ("dd/MM/yyyy", "24/11/2026"),
    ("HH:mm:ss", "19:20:05"), ("hh:mm a", "07:20 pm"), ("hh:mm A", "07:20 PM"),
    ("h:mm AM/PM", "7:20 PM"), ("hh:mm", "19:20"), ("HH:MM", "19:20"), ("MM/DD/YY", "11/24/26"),
    ("D/M/YYYY", "24/11/2026"), ("MMM D, YYYY", "Nov 24, 2026"), ("dddd", "Tuesday"),
    ("ddd DD", "Tue 24"), ("mm:ss", "20:05"), ("YYYY-MM-DD[T]HH:mm", "2026-11-24T19:20"),
    ("'Day' D", "Day 24"), ("H[h]mm", "19h20"), ("dd.MM.yyyy HH:mm:ss", "24.11.2026 19:20:05"),
])
def test_format_date_masks(mask, expected):
    check("FORMAT", [MOMENT, mask], expected)


def test_format_twelve_hour_midnight_and_morning():
    assert call("FORMAT", "2026-11-24 00:05:00", "hh:mm a") == "12:05 am"
    assert call("FORMAT", "2026-11-24 09:05:00", "h:mm A") == "9:05 AM"


@pytest.mark.parametrize("value, mask, expected", [
    ("2026-11-24", "DD/MM/YYYY", "24/11/2026"), ("2026-11-24T19:20:05", "HH:mm", "19:20"),
    (DAY, "DD/MM/YYYY HH:mm", "24/11/2026 00:00"), (None, "#,##0", ""), (None, "YYYY", ""),
    (12.5, None, "12.5"), (MOMENT, None, "2026-11-24 19:20:05"), ("abc", "@", "abc"), (5, "@", "5"),
])
def test_format_other_values(value, mask, expected):
    args = [value] if mask is None else [value, mask]
    check("FORMAT", args, expected)


@pytest.mark.parametrize("value, mask, message", [
    ("abc", "#,##0", 'FORMAT expects a number, got "abc"'), ([1], "0.00", "FORMAT expects a number"),
    ("soon", "DD/MM/YYYY", "FORMAT expects a date"), (5, "YYYY", "FORMAT expects a date"),
])
def test_format_errors(value, mask, message):
    with pytest.raises(BasicRuntimeError, match=re.escape(message)):
        call("FORMAT", value, mask)


# ---- lists and objects -------------------------------------------------------------------

@pytest.mark.parametrize("name, args, expected", [
    ("UBOUND", [[1, 2, 3]], 3), ("UBOUND", [[]], 0), ("UBOUND", [None], 0), ("UBOUND", [{"a": 1}], 1),
    ("LBOUND", [[1]], 0), ("COUNT", [[1, 2]], 2), ("COUNT", [None], 0), ("COUNT", [{"a": 1}], 1),
    ("COUNT", ["abc"], 3), ("FIRST", ["hello big world"], "hello"), ("LAST", ["hello big world"], "world"),
    ("FIRST", ["  "], ""), ("FIRST", [[1, 2]], 1), ("LAST", [[1, 2]], 2), ("FIRST", [[]], None),
    ("LAST", [None], None), ("CONTAINS", [[1, 2], 2], True), ("CONTAINS", ["Hello", "HELL"], True),
    ("CONTAINS", [{"k": 1}, "k"], True), ("CONTAINS", [None, 1], False),
    ("KEYS", [{"a": 1, "b": 2}], ["a", "b"]), ("VALUES", [{"a": 1, "b": 2}], [1, 2]), ("KEYS", [None], []),
    ("SORT", [[3, "10", 2]], [2, 3, "10"]), ("SORT", [["b", "a"], "desc"], ["b", "a"]),
    ("SORT", [[DAY, "2026-01-01"]], ["2026-01-01", DAY]),
    ("UNIQUE", [[1, "1", 2, 1.0, "a", "a", None, ""]], [1, 2, "a", None]),
    ("UNIQUE", [[{"a": 1}, {"a": 1}, [1], [1]]], [{"a": 1}, [1]]),
    ("REVERSE", [[1, 2]], [2, 1]), ("REVERSE", ["abc"], "cba"), ("ARRAY", [], []), ("ARRAY", [1, "a"], [1, "a"]),
    ("ISARRAY", [[]], True), ("ISARRAY", ["[]"], False), ("ISOBJECT", [{}], True), ("ISOBJECT", [[]], False),
    ("JOIN", [["a", "b"]], "a,b"), ("JOIN", [[1, None, True], " | "], "1 |  | true"), ("JOIN", [None], ""),
])
def test_list_builtins(name, args, expected):
    check(name, args, expected)


def test_push_mutates_and_returns_the_list():
    items = [1]
    assert call("PUSH", items, 2) is items and items == [1, 2]
    assert call("PUSH", None, "a") == ["a"]


def test_sort_by_field_and_order():
    assert [p["name"] for p in call("SORT", PEOPLE, "age")] == ["Bruno", "Ana", "Carla"]
    assert [p["name"] for p in call("SORT", PEOPLE, "age", "desc")] == ["Carla", "Ana", "Bruno"]


@pytest.mark.parametrize("args, names", [
    (["city=Rio"], ["Ana"]), (["city = 'rio'"], ["Carla"]), (['name == "Bruno"'], ["Bruno"]),
    (["age > 26"], ["Ana", "Carla"]), (["age>=25 AND age<41"], ["Ana", "Bruno"]),
    (["age <> 30"], ["Bruno", "Carla"]), (["age != 30 and city=rio"], ["Carla"]),
    (["name LIKE '%a'"], ["Ana", "Carla"]), (["city CONTAINS paulo"], ["Bruno"]),
    (["rio"], ["Ana", "Carla"]), (["missing=1"], []), (["city", "Rio"], ["Ana"]),
    (["age", 25], ["Bruno"]), (["nickname", None], ["Ana", "Bruno", "Carla"]),
])
def test_filter(args, names):
    assert [p["name"] for p in call("FILTER", PEOPLE, *args)] == names


def test_filter_scalars_and_null():
    assert call("FILTER", ["apple", "Banana", "cherry"], "an") == ["Banana"]
    assert call("FILTER", None, "x=1") == []


@pytest.mark.parametrize("name, args, message", [
    ("UBOUND", ["abc"], 'UBOUND expects a list, got "abc"'), ("KEYS", [[1]], "KEYS expects an object"),
    ("FIRST", [{"a": 1}], "FIRST expects a list, got object"), ("PUSH", ["x", 1], "PUSH expects a list"),
    ("COUNT", [5], "COUNT expects a list, got number"), ("FILTER", [{}, "a=1"], "FILTER expects a list"),
])
def test_list_builtin_errors(name, args, message):
    with pytest.raises(BasicRuntimeError, match=re.escape(message)):
        call(name, *args)


# ---- misc --------------------------------------------------------------------------------

@pytest.mark.parametrize("name, args, expected", [
    ("IIF", [True, "a", "b"], "a"), ("IIF", ["false", "a", "b"], "b"), ("IIF", [[], 1, 2], 2),
    ("ISEMPTY", [None], True), ("ISEMPTY", [""], True), ("ISEMPTY", [[]], True), ("ISEMPTY", [{}], True),
    ("ISEMPTY", [" "], False), ("ISEMPTY", [0], False), ("ISNULL", [None], True), ("ISNULL", [""], False),
    ("NVL", [None, "d"], "d"), ("NVL", ["", "d"], ""), ("NVL", [0, "d"], 0),
    ("COALESCE", [None, None, 3], 3), ("COALESCE", [None, "", 3], ""), ("COALESCE", [None], None),
    ("CBOOL", ["yes"], True), ("CBOOL", ["No"], False), ("CBOOL", ["não"], False), ("CBOOL", ["0"], False),
    ("CBOOL", [1], True), ("CBOOL", [None], False), ("CBOOL", [" sim "], True),
    ("TOJSON", [{"a": [1, 2.5, None]}], '{"a":[1,2.5,null]}'), ("TOJSON", ["x"], '"x"'),
    ("JSON", ['{"a": 1}'], {"a": 1}), ("PARSEJSON", ["[1, 2]"], [1, 2]), ("JSON", [{"a": 1}], {"a": 1}),
    ("JSON", [None], None), ("TYPEOF", [DAY], "date"), ("TYPEOF", ["x"], "text"), ("TYPEOF", [None], "null"),
])
def test_misc_builtins(name, args, expected):
    check(name, args, expected)


def test_json_errors_name_the_problem():
    with pytest.raises(BasicRuntimeError, match='invalid JSON "{oops"') as info:
        call("JSON", "{oops", line=3)
    assert info.value.line == 3
    with pytest.raises(BasicRuntimeError, match="JSON expects text, got number"):
        call("JSON", 5)


@pytest.mark.parametrize("name, value", [("len", "x"), ("ucase", "x"), ("now", None), ("format", 5)])
def test_builtins_are_callable_directly(name, value):
    entry = BUILTINS[name]
    args = [] if entry.max_args == 0 else [value]
    assert entry.fn(*args) == call(name, *args)


def test_format_of_huge_numbers():
    assert call("FORMAT", 1e22, "#,##0") == "10,000,000,000,000,000,000,000"


@pytest.mark.parametrize("name, args", [("DATEADD", [DAY, float("nan"), "day"]),
                                        ("DATE", [0, 10**18, 1]), ("DATEADD", [DAY, 10**20, "s"])])
def test_impossible_dates_raise_runtime_errors(name, args):
    with pytest.raises(BasicRuntimeError) as info:
        call(name, *args)
    assert not info.value.message.startswith(name + ": ")  # a real message, not the safety net
