"""Fuzzing: whatever the text, the parser returns a Program or raises BasicSyntaxError, and the
checker accepts every Program the parser returns."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generalbots.basic import ast
from generalbots.basic.checker import check
from generalbots.basic.errors import BasicSyntaxError
from generalbots.basic.parser import parse, parse_expression

FUZZ = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

CORPUS = [p.read_text(encoding="utf-8")
          for p in sorted((Path(__file__).parent / "corpus").glob("*.bas"))]

TOKENS = [
    "IF", "THEN", "ELSE", "ELSE IF", "ELSEIF", "END IF", "FOR", "EACH", "IN", "TO", "STEP", "NEXT",
    "END FOR", "DO", "LOOP", "WHILE", "UNTIL", "WEND", "SELECT CASE", "CASE", "CASE ELSE",
    "END SELECT", "SWITCH", "DEFAULT", "SUB", "END SUB", "FUNCTION", "END FUNCTION", "CALL",
    "RETURN", "EXIT", "BREAK", "TALK", "HEAR", "AS", "WITH", "PARAM", "DESCRIPTION", "LIKE",
    "OPTIONAL", "ENUM", "GET", "POST", "FIND", "WHERE", "LLM", "FORMAT", "FIRST", "SET",
    "SET BOT MEMORY", "GET BOT MEMORY", "SAVE", "INSERT INTO", "VALUES", "UPDATE", "DELETE",
    "BEGIN TALK", "END TALK", "BEGIN SYSTEM PROMPT", "END SYSTEM PROMPT", "TABLE t", "END TABLE",
    "WITH x", "END WITH", "ORCHESTRATE WORKFLOW", "STEP 1:", "BOT", "HUMAN APPROVAL FROM",
    "TIMEOUT", "ON TIMEOUT:", "ESCALATE TO", "PARALLEL", "BRANCH A:", "END PARALLEL",
    "ON EVENT", "END ON", "PUBLISH EVENT", "WAIT FOR EVENT", "DELEGATE", "TO BOT", "WAIT",
    "DELAY", "NEW OBJECT", "NOT", "AND", "OR", "MOD", "IS NULL", "IS NOT NULL", "CONTAINS",
    "x", "list", "count", "a.b", "f(1)", "obj.m(2)", "a[0]", "1", "2.5", "-3", '"s"', '"${x}"',
    '"${', '"', "'", "#", "#{", "{", "}", "[", "]", "(", ")", ",", ":", ".", "?.", "?", "??",
    "+", "-", "*", "/", "^", "&", "=", "==", "<>", "!=", "<", ">", "<=", ">=", "!", "&&", "||",
    "_", ";", "REM", "//", "\n", "\n", "\n", "\t", "TRUE", "NULL", "label:", "GOTO label",
]


def parse_or_syntax_error(source: str) -> None:
    try:
        program = parse(source)
    except BasicSyntaxError as exc:
        assert exc.message
        assert exc.line >= 0 and exc.col >= 0
        return
    assert isinstance(program, ast.Program)
    for diagnostic in check(program):
        assert diagnostic.severity in ("error", "warning")


@FUZZ
@given(st.text(max_size=300))
def test_random_text(source):
    parse_or_syntax_error(source)


@FUZZ
@given(st.text(alphabet="IFTHENLSDO =+-*/()[]{}#\"'\n\t$:.,_!?<>&|0123456789abcxyz\\", max_size=200))
def test_random_basic_characters(source):
    parse_or_syntax_error(source)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=60))
def test_token_soup(tokens):
    parse_or_syntax_error(" ".join(tokens))


@st.composite
def mutated_script(draw):
    source = draw(st.sampled_from(CORPUS))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "insert", "duplicate", "swap"]))
        if not source:
            break
        at = draw(st.integers(0, len(source) - 1))
        if kind == "delete":
            source = source[:at] + source[at + draw(st.integers(1, 20)):]
        elif kind == "insert":
            source = source[:at] + draw(st.sampled_from(TOKENS)) + source[at:]
        else:
            lines = source.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if kind == "duplicate":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            source = "\n".join(lines)
    return source


@FUZZ
@given(mutated_script())
def test_mutated_real_looking_scripts(source):
    parse_or_syntax_error(source)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS[80:]), min_size=1, max_size=20))
def test_expressions(tokens):
    try:
        node = parse_expression(" ".join(tokens))
    except BasicSyntaxError:
        return
    assert isinstance(node, ast.Node)
