"""The pre-pass: logical lines, comments, strings, raw blocks and positions."""

import pytest

from generalbots.basic.errors import BasicSyntaxError
from generalbots.basic.lexer import tokenize
from generalbots.basic.tokens import Interp


def texts(source):
    return [[t.text for t in ll.tokens] for ll in tokenize(source)]


def test_one_statement_per_line_and_blank_lines_vanish():
    assert texts("a = 1\n\n\nTALK a\n") == [["a", "=", "1"], ["TALK", "a"]]


@pytest.mark.parametrize("source", [
    "REM a comment", "rem lower case", "# hash", "   # indented hash", "// slashes",
    "' quote", "\t' tab then quote",
])
def test_comment_lines(source):
    assert texts(source + "\nx = 1") == [["x", "=", "1"]]


def test_rem_must_be_a_whole_word():
    assert texts("remaining = 1") == [["remaining", "=", "1"]]


def test_quote_comment_after_code_but_not_inside_strings():
    assert texts("TALK \"it's\" ' comment 'x'") == [["TALK", '"it\'s"']]


def test_hash_brace_is_a_map_not_a_comment():
    assert texts("#{a: 1}") == [["#{", "a", ":", "1", "}"]]


def test_double_slash_inside_a_line_is_not_a_comment_start():
    assert texts('x = GET "https://a.example/b"') == [["x", "=", "GET", '"https://a.example/b"']]


@pytest.mark.parametrize("opener, closer", [("(", ")"), ("[", "]"), ("{", "}"), ("#{", "}")])
def test_open_brackets_join_lines(opener, closer):
    lines = tokenize(f"x = {opener}\n  1,\n  2\n{closer}\nTALK x")
    assert len(lines) == 2
    assert [t.line for t in lines[0].tokens] == [1, 1, 1, 2, 2, 3, 4]


@pytest.mark.parametrize("joiner", [",", "+", "&", "AND", "or", "&&", "||"])
def test_trailing_operators_join_lines(joiner):
    assert len(tokenize(f"x = a {joiner}\n b\nTALK x")) == 2


def test_trailing_underscore_joins_and_disappears():
    assert texts("x = a + _\n b") == [["x", "=", "a", "+", "b"]]


def test_leading_operator_joins_the_previous_line():
    assert texts('x = "a"\n  & "b"') == [["x", "=", '"a"', "&", '"b"']]


def test_with_option_line_joins_an_llm_statement_only():
    assert len(tokenize('x = LLM "p"\nWITH OPTIMIZE FOR "cost"')) == 1
    assert len(tokenize('x = 1\nWITH OPTIMIZE FOR "cost"')) == 2
    assert len(tokenize('x = LLM "p"\nWITH customer\n  a = 1\nEND WITH')) == 4


def test_member_named_and_does_not_continue():
    assert len(tokenize("x = y.or\nTALK x")) == 2


def test_string_escapes_are_decoded():
    (tok,) = tokenize(r'"a\nb\tc\"d\\e\qf"')[0].tokens
    assert tok.value == ["a\nb\tc\"d\\e\\qf"]


def test_string_interpolation_parts_keep_positions():
    (tok,) = tokenize('  "Hi ${name}, {name} {{x}}"')[0].tokens
    assert tok.value == ["Hi ", Interp("name", 1, 9), ", {name} {{x}}"]


def test_string_spanning_lines_keeps_the_newline():
    lines = tokenize('TALK "a\nb"\nx = 1')
    assert lines[0].tokens[1].value == ["a\nb"]
    assert lines[1].tokens[0].line == 3


def test_unclosed_interpolation_is_text():
    (tok,) = tokenize('"cost ${ x"')[0].tokens
    assert tok.value == ["cost ${ x"]


def test_numbers_keep_int_and_float():
    toks = tokenize("x = 12 + 1.5 + .5 + 2e3")[0].tokens
    assert [t.value for t in toks if t.kind == "NUM"] == [12, 1.5, 0.5, 2000.0]
    assert isinstance(toks[2].value, int)


def test_unicode_letters_and_tabs():
    toks = tokenize("\tação\t=\t\"não\"")[0].tokens
    assert [(t.kind, t.text, t.col) for t in toks] == [
        ("WORD", "ação", 2), ("OP", "=", 7), ("STR", '"não"', 9)]


def test_crlf_line_endings():
    assert texts("a = 1\r\nb = 2\r\n") == [["a", "=", "1"], ["b", "=", "2"]]


def test_raw_block_keeps_text_verbatim_and_skips_code_rules():
    lines = tokenize('BEGIN TALK\n  Hello ${name}\n  \'not a comment\' # nor this\nEND TALK\nx = 1')
    assert len(lines) == 2
    raw = lines[0].tokens[0]
    assert raw.kind == "RAW" and raw.value.kind == "TALK"
    assert raw.value.body == ["Hello ", Interp("name", 2, 9), "\n'not a comment' # nor this"]
    assert lines[1].tokens[0].line == 5


@pytest.mark.parametrize("header, kind", [
    ("BEGIN SYSTEM PROMPT", "SYSTEM PROMPT"), ("begin system_prompt", "SYSTEM PROMPT"),
    ('BEGIN MAIL "a@b"', "MAIL"), ("BEGIN_TALK", "TALK"),
])
def test_raw_block_kinds(header, kind):
    end = "END " + kind
    (line,) = tokenize(f"{header}\ntext\n{end}")
    assert line.tokens[0].value.kind == kind


def test_mail_header_tokens():
    (line,) = tokenize('BEGIN MAIL "a@b.c"\nbody\nEND MAIL')
    assert [t.text for t in line.tokens[0].value.header] == ['"a@b.c"']


def test_table_block_lines():
    (line,) = tokenize("TABLE t\n  id AS integer\n  ' comment\nEND TABLE")
    block = line.tokens[0].value
    assert block.kind == "TABLE"
    assert [t.text for t in block.header] == ["t"]
    assert block.lines == [(2, 1, "  id AS integer"), (3, 1, "  ' comment")]


def test_table_without_end_is_an_ordinary_line():
    assert texts("TABLE of contents") == [["TABLE", "of", "contents"]]


@pytest.mark.parametrize("source, message, line, col", [
    ('x = "abc', "unterminated string", 1, 5),
    ("x = (1,\n 2", "'(' is never closed", 1, 5),
    ("BEGIN TALK\nhi", "BEGIN TALK without END TALK", 1, 1),
])
def test_lexer_errors(source, message, line, col):
    with pytest.raises(BasicSyntaxError) as info:
        tokenize(source)
    assert info.value.message == message
    assert (info.value.line, info.value.col) == (line, col)


def test_token_offsets_slice_the_source():
    source = "x = foo(1,\n  2)"
    toks = tokenize(source)[0].tokens
    assert source[toks[0].pos:toks[-1].end] == source
