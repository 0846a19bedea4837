"""The parser: every form of BASIC.md sections 1-5 and every trap of section 7, as AST shapes."""

import pytest

from generalbots.basic import ast
from generalbots.basic.errors import BasicSyntaxError
from generalbots.basic.parser import parse, parse_all

from .ast_helpers import (AS, BR, ES, KE, KS, MC, A, B, C, I, L, M, N, O, P, T, U, expr, stmt,
                          stmts)

# --------------------------------------------------------------------------------------------
# Expressions

EXPRESSIONS = [
    ("1 + 2 * 3", B("+", L(1), B("*", L(2), L(3)))),
    ("(1 + 2) * 3", B("*", B("+", L(1), L(2)), L(3))),
    ("2 ^ 3 * 4", B("*", B("^", L(2), L(3)), L(4))),
    ("-x ^ 2", B("^", U("-", N("x")), L(2))),
    ("-5", L(-5)),
    ("1.5", L(1.5)),
    ("a - b - c", B("-", B("-", N("a"), N("b")), N("c"))),
    ("a & b + c", B("+", B("&", N("a"), N("b")), N("c"))),
    ("a MOD 3 % 2", B("mod", B("mod", N("a"), L(3)), L(2))),
    ("a / b", B("/", N("a"), N("b"))),
    ("a = 1", B("=", N("a"), L(1))),
    ("a == 1", B("=", N("a"), L(1))),
    ("a <> 1", B("<>", N("a"), L(1))),
    ("a != 1", B("<>", N("a"), L(1))),
    ("a <= 1 AND b >= 2", B("and", B("<=", N("a"), L(1)), B(">=", N("b"), L(2)))),
    ("a && b || c", B("or", B("and", N("a"), N("b")), N("c"))),
    ("a OR b AND c", B("or", N("a"), B("and", N("b"), N("c")))),
    ("a ?? b", B("??", N("a"), N("b"))),
    ("NOT a", U("not", N("a"))),
    ("!a", U("not", N("a"))),
    ("not a = b", B("=", U("not", N("a")), N("b"))),
    ("x IS NULL", ast.IsNull(N("x"), False, **P)),
    ("x IS NOT NULL", ast.IsNull(N("x"), True, **P)),
    ("t CONTAINS \"refund\"", B("contains", N("t"), L("refund"))),
    ("e LIKE \"%@x\"", B("like", N("e"), L("%@x"))),
    ("c ? a : b", ast.Conditional(N("c"), N("a"), N("b"), **P)),
    ("x > 1 ? \"big\" : \"small\"", ast.Conditional(B(">", N("x"), L(1)), L("big"), L("small"), **P)),
    ("TRUE", L(True)), ("false", L(False)), ("Null", L(None)),
    ("a.b", M(N("a"), "b")),
    ("a?.b?.c", M(M(N("a"), "b", True), "c", True)),
    ("a[0]", I(N("a"), L(0))),
    ("a.b[1].c", M(I(M(N("a"), "b"), L(1)), "c")),
    ("f(1, x)", C("f", L(1), N("x"))),
    ("f()", C("f")),
    ("s.trim().toUpperCase()", MC(MC(N("s"), "trim"), "toUpperCase")),
    ("items.push(\"a\")", MC(N("items"), "push", L("a"))),
    ("x.count", M(N("x"), "count")),
    ("item.date", M(N("item"), "date")),
    ("x.format", M(N("x"), "format")),
    ("list.length + count", B("+", M(N("list"), "length"), N("count"))),
    ("COUNT(list)", C("COUNT", N("list"))),
    ("IIF(a, 1, 2)", C("IIF", N("a"), L(1), L(2))),
    ("[1, \"a\"]", A(L(1), L("a"))),
    ("[]", A()),
    ("[1, 2,]", A(L(1), L(2))),
    ("{\"k\": x, \"n\": {\"m\": [1]}}", O(("k", N("x")), ("n", O(("m", A(L(1))),)))),
    ("{k: 1}", O(("k", L(1)))),
    ("#{name: n, date: d}", O(("name", N("n")), ("date", N("d")))),
    ("{}", O()),
    ("NEW OBJECT", O()),
    ("NEW ARRAY", A()),
    ("\"plain\"", L("plain")),
    ("\"a ${x + 1} b\"", T("a ", B("+", N("x"), L(1)), " b")),
    ("\"${name}\"", T(N("name"))),
    ("\"{name} and {{name}}\"", L("{name} and {{name}}")),
    ("\"line\\nbreak\\t\\\"q\\\" \\\\\"", L("line\nbreak\t\"q\" \\")),
    ("\"c:\\\\dir\"", L("c:\\dir")),
    # keyword expressions
    ("LLM \"a\" + b", KE("LLM", B("+", L("a"), N("b")))),
    ("GET url", KE("GET", N("url"))),
    ("GET \"https://x?c=\" + city", KE("GET", B("+", L("https://x?c="), N("city")))),
    ("GET \"session.k\"", KE("GET", L("session.k"))),
    ("GET(url)", KE("GET", N("url"))),
    ("POST url, body", KE("POST", N("url"), N("body"))),
    ("FIND \"t\"", KE("FIND", L("t"))),
    ("FIND \"t\", \"col=value\"", KE("FIND", L("t"), L("col=value"))),
    ("FIND \"t\" WHERE a = b", KE("FIND", L("t"), options=[("where", B("=", N("a"), N("b")))])),
    ("FORMAT x AS \"#,##0\"", C("FORMAT", N("x"), L("#,##0"))),
    ("FORMAT(x, \"0%\")", C("FORMAT", N("x"), L("0%"))),
    ("FIRST name", C("FIRST", N("name"))),
    ("CALL f(1)", C("f", L(1), via_call=True)),
    ("CALL f", C("f", via_call=True)),
    ("GET BOT MEMORY(\"k\")", KE("GET BOT MEMORY", L("k"))),
    ("GET BOT MEMORY k", KE("GET BOT MEMORY", N("k"))),
    ("GET_BOT_MEMORY(\"k\")", KE("GET BOT MEMORY", L("k"))),
    ("GET USER MEMORY(\"k\")", KE("GET USER MEMORY", L("k"))),
    ("REWRITE draft", KE("REWRITE", N("draft"))),
    ("RECALL \"k\"", KE("RECALL", L("k"))),
    ("READ \"notes.txt\"", KE("READ", L("notes.txt"))),
    ("LIST \"archive\"", KE("LIST", L("archive"))),
    ("\"x\" + GET BOT MEMORY \"k\"", B("+", L("x"), KE("GET BOT MEMORY", L("k")))),
    ("DELEGATE \"m\" TO BOT \"b\"", KE("DELEGATE", L("m"), L("b"))),
    ("DELEGATE \"m\" TO BOT \"b\" TIMEOUT 60",
     KE("DELEGATE", L("m"), L("b"), options=[("timeout", L(60))])),
    ("LLM \"x\" WITH OPTIMIZE FOR \"cost\"", KE("LLM", L("x"), options=[("optimize for", L("cost"))])),
    ("LLM p WITH MAX_COST 0.1 WITH MAX_LATENCY 500",
     KE("LLM", N("p"), options=[("max_cost", L(0.1)), ("max_latency", L(500))])),
    ("LLM p WITH TASK \"classify\"", KE("LLM", N("p"), options=[("task", L("classify"))])),
    ("WAIT FOR EVENT \"paid\" TIMEOUT 3600", ast.WaitForEvent(L("paid"), L(3600), (), **P)),
    ("WAIT FOR EVENT order.paid", ast.WaitForEvent(L("order.paid"), None, (), **P)),
    ("WAIT FOR EVENT \"e\" WHERE id = 1 AND kind = \"x\"",
     ast.WaitForEvent(L("e"), None, (("id", L(1)), ("kind", L("x"))), **P)),
]


@pytest.mark.parametrize("text, expected", EXPRESSIONS, ids=[e[0] for e in EXPRESSIONS])
def test_expression_shapes(text, expected):
    assert expr(text) == expected


@pytest.mark.parametrize("word", ["list", "date", "format", "count", "file", "time", "min", "max",
                                  "map", "filter", "first", "get", "find", "step", "next", "to"])
def test_keywords_are_contextual_names(word):
    assert stmt(f"{word} = 1") == AS(N(word), L(1))
    assert stmt(f"TALK {word}") == KS("TALK", N(word))
    assert stmt(f"x = {word} + 1") == AS(N("x"), B("+", N(word), L(1)))


def test_template_expression_position_is_inside_the_string():
    node = parse('\n  TALK "Hi ${name}"').body[0].args[0]
    assert isinstance(node, ast.Template)
    assert (node.parts[1].line, node.parts[1].col) == (2, 14)


# --------------------------------------------------------------------------------------------
# Statements

STATEMENTS = [
    ("x = 1", AS(N("x"), L(1))),
    ("LET x = 1", AS(N("x"), L(1))),
    ("let x = 1", AS(N("x"), L(1))),
    ("SET x = 1", AS(N("x"), L(1))),
    ("a.b = 2", AS(M(N("a"), "b"), L(2))),
    ("a[i] = 3", AS(I(N("a"), N("i")), L(3))),
    ("a.b[0].c = 4", AS(M(I(M(N("a"), "b"), L(0)), "c"), L(4))),
    ("x += 1", AS(N("x"), B("+", N("x"), L(1)))),
    ("ok = a = b", AS(N("ok"), B("=", N("a"), N("b")))),
    ("x = LLM \"a\" + b", AS(N("x"), KE("LLM", B("+", L("a"), N("b"))))),
    ("TALK \"hi\"", KS("TALK", L("hi"))),
    ("talk \"hi\"", KS("TALK", L("hi"))),
    ("TALK LLM \"a\"", KS("TALK", KE("LLM", L("a")))),
    ("TALK TO \"+55\", \"msg\"", KS("TALK TO", L("+55"), L("msg"))),
    ("PRINT x", KS("PRINT", N("x"))),
    ("LOG \"a\" + b", KS("LOG", B("+", L("a"), N("b")))),
    ("ADD SUGGESTION \"ctx\" AS \"label\"", KS("ADD SUGGESTION", L("ctx"), L("label"))),
    ("ADD SUGGESTION \"label\"", KS("ADD SUGGESTION", L("label"))),
    ("CLEAR SUGGESTIONS", KS("CLEAR SUGGESTIONS")),
    ("USE TOOL \"weather\"", KS("USE TOOL", L("weather"))),
    ("ADD TOOL \"weather\"", KS("ADD TOOL", L("weather"))),
    ("ADD_TOOL \"weather\"", KS("ADD TOOL", L("weather"))),
    ("CLEAR TOOLS", KS("CLEAR TOOLS")),
    ("USE KB \"manuals\"", KS("USE KB", L("manuals"))),
    ("CLEAR KB", KS("CLEAR KB")),
    ("USE MODEL \"fast\"", KS("USE MODEL", L("fast"))),
    ("SET CONTEXT \"n\", e", KS("SET CONTEXT", L("n"), N("e"))),
    ("SET CONTEXT \"n\" AS e", KS("SET CONTEXT", L("n"), N("e"))),
    ("SET CONTEXT e", KS("SET CONTEXT", N("e"))),
    ("SET_CONTEXT \"a\" + t", KS("SET CONTEXT", B("+", L("a"), N("t")))),
    ("SET BOT MEMORY \"k\", v", KS("SET BOT MEMORY", L("k"), N("v"))),
    ("SET BOT MEMORY \"k\" AS v", KS("SET BOT MEMORY", L("k"), N("v"))),
    ("SET_BOT_MEMORY \"k\", v", KS("SET BOT MEMORY", L("k"), N("v"))),
    ("Set Bot Memory \"k\", v", KS("SET BOT MEMORY", L("k"), N("v"))),
    ("SET USER MEMORY \"k\", v", KS("SET USER MEMORY", L("k"), N("v"))),
    ("REMEMBER \"k\", v, \"30 days\"", KS("REMEMBER", L("k"), N("v"), L("30 days"))),
    ("x = RECALL \"k\"", AS(N("x"), KE("RECALL", L("k")))),
    ("SET \"session.k\", v", KS("SET SESSION", L("session.k"), N("v"))),
    ("SAVE \"t\", obj", KS("SAVE", L("t"), N("obj"))),
    ("SAVE \"t\", a, b, c", KS("SAVE", L("t"), N("a"), N("b"), N("c"))),
    ("INSERT \"t\", obj", KS("INSERT", L("t"), N("obj"))),
    ("INSERT INTO \"t\" VALUES {\"a\": 1}", KS("INSERT", L("t"), O(("a", L(1))))),
    ("UPDATE \"t\", \"id=1\", obj", KS("UPDATE", L("t"), L("id=1"), N("obj"))),
    ("UPDATE \"t\" SET a = 1, b = x WHERE id = 2",
     KS("UPDATE", L("t"), options=[("set", O(("a", L(1)), ("b", N("x")))),
                                   ("where", B("=", N("id"), L(2)))])),
    ("DELETE \"t\", \"id=1\"", KS("DELETE", L("t"), L("id=1"))),
    ("DELETE url", KS("DELETE", N("url"))),
    ("MERGE \"t\", rows, \"id\"", KS("MERGE", L("t"), N("rows"), L("id"))),
    ("MERGE \"t\" WITH list.items BY \"Id\"", KS("MERGE", L("t"), M(N("list"), "items"), L("Id"))),
    ("APPEND items, x", KS("APPEND", N("items"), N("x"))),
    ("SET HEADER \"k\", \"v\"", KS("SET HEADER", L("k"), L("v"))),
    ("Set HEADER \"k\" As uuid()", KS("SET HEADER", L("k"), C("uuid"))),
    ("CLEAR HEADERS", KS("CLEAR HEADERS")),
    ("POST url, body", KS("POST", N("url"), N("body"))),
    ("PUT url, body", KS("PUT", N("url"), N("body"))),
    ("PATCH url, body", KS("PATCH", N("url"), N("body"))),
    ("GET url", ES(KE("GET", N("url")))),
    ("x = GET url", AS(N("x"), KE("GET", N("url")))),
    ("x = POST url, {\"a\": 1}", AS(N("x"), KE("POST", N("url"), O(("a", L(1)))))),
    ("WRITE \"f.txt\", data", KS("WRITE", L("f.txt"), N("data"))),
    ("COPY \"a\", \"b\"", KS("COPY", L("a"), L("b"))),
    ("MOVE \"a\", \"b\"", KS("MOVE", L("a"), L("b"))),
    ("DELETE FILE \"a\"", KS("DELETE FILE", L("a"))),
    ("x = LIST \"dir\"", AS(N("x"), KE("LIST", L("dir")))),
    ("UPLOAD \"a.pdf\", data", KS("UPLOAD", L("a.pdf"), N("data"))),
    ("DOWNLOAD url, \"a.pdf\"", KS("DOWNLOAD", N("url"), L("a.pdf"))),
    ("SEND MAIL to, \"s\", body", KS("SEND MAIL", N("to"), L("s"), N("body"))),
    ("SEND EMAIL to, body", KS("SEND EMAIL", N("to"), N("body"))),
    ("SEND EMAIL to, s, body", KS("SEND EMAIL", N("to"), N("s"), N("body"))),
    ("SEND FILE img, \"cap\"", KS("SEND FILE", N("img"), L("cap"))),
    ("CREATE TASK \"t\", \"tomorrow\"", KS("CREATE TASK", L("t"), L("tomorrow"))),
    ("CREATE_TASK \"t\"", KS("CREATE TASK", L("t"))),
    ("SET SCHEDULE \"every 5 minutes\"", KS("SET SCHEDULE", L("every 5 minutes"))),
    ("WEBHOOK \"order-paid\"", KS("WEBHOOK", L("order-paid"))),
    ("ADD BOT \"b\" WITH TRIGGER \"help\"", KS("ADD BOT", L("b"), options=[("trigger", L("help"))])),
    ("DELEGATE \"m\" TO BOT \"b\"", KS("DELEGATE", L("m"), L("b"))),
    ("r = DELEGATE \"m\" TO BOT \"b\" TIMEOUT 9",
     AS(N("r"), KE("DELEGATE", L("m"), L("b"), options=[("timeout", L(9))]))),
    ("list.push(4)", ES(MC(N("list"), "push", L(4)))),
    ("CALL greet(\"a\")", ast.CallStmt("greet", (L("a"),), **P)),
    ("CALL greet", ast.CallStmt("greet", (), **P)),
    ("greet(\"a\", 2)", ast.CallStmt("greet", (L("a"), L(2)), **P)),
    ("x = CALL f(1)", AS(N("x"), C("f", L(1), via_call=True))),
    ("RETURN", ast.Return(None, **P)),
    ("RETURN x + 1", ast.Return(B("+", N("x"), L(1)), **P)),
    ("return true;", ast.Return(L(True), **P)),
    ("RETURN FIND \"t\"", ast.Return(KE("FIND", L("t")), **P)),
    ("ON ERROR RESUME NEXT", ast.OnError("resume next", **P)),
    ("ON ERROR GOTO 0", ast.OnError("goto 0", **P)),
    ("THROW \"bad\"", ast.Throw(L("bad"), **P)),
    ("GOTO done", ast.Goto("done", **P)),
    ("WAIT 2.5", ast.Wait(L(2.5), "WAIT", **P)),
    ("DELAY 60", ast.Wait(L(60), "DELAY", **P)),
    ("EXIT", ast.Exit("script", **P)),
    ("EXIT FOR", ast.Exit("for", **P)),
    ("BREAK", ast.Exit("loop", **P)),
    ("WAIT FOR EVENT \"x\"", ES(ast.WaitForEvent(L("x"), None, (), **P))),
    ("data = WAIT FOR EVENT \"x\" TIMEOUT 3600",
     AS(N("data"), ast.WaitForEvent(L("x"), L(3600), (), **P))),
    ("DESCRIPTION \"A tool\"", ast.Description(L("A tool"), **P)),
]


@pytest.mark.parametrize("source, expected", STATEMENTS, ids=[s[0] for s in STATEMENTS])
def test_statement_shapes(source, expected):
    assert stmt(source) == expected


HEARS = [
    ("HEAR v", ast.Hear(N("v"), **P)),
    ("HEAR v AS INTEGER", ast.Hear(N("v"), "INTEGER", **P)),
    ("HEAR v AS email", ast.Hear(N("v"), "EMAIL", **P)),
    ("HEAR v AS \"a\", \"b\", \"c\"", ast.Hear(N("v"), "MENU", (L("a"), L("b"), L("c")), **P)),
    ("HEAR v AS TEXT WITH \"Name?\"", ast.Hear(N("v"), "TEXT", prompt=L("Name?"), **P)),
    ("HEAR v AS DATE WITH \"When?\" DEFAULT TODAY()",
     ast.Hear(N("v"), "DATE", prompt=L("When?"), default=C("TODAY"), **P)),
    ("HEAR v WITH \"prompt\"", ast.Hear(N("v"), prompt=L("prompt"), **P)),
    ("v = HEAR", ast.Hear(N("v"), **P)),
    ("v = HEAR AS INTEGER", ast.Hear(N("v"), "INTEGER", **P)),
    ("HEAR in AS FILE", ast.Hear(N("in"), "FILE", **P)),
]


@pytest.mark.parametrize("source, expected", HEARS, ids=[h[0] for h in HEARS])
def test_hear_forms(source, expected):
    assert stmt(source) == expected


PARAMS = [
    ("PARAM name AS string", ast.Param("name", "STRING", **P)),
    ("PARAM city AS STRING LIKE \"Lisbon\" DESCRIPTION \"City\"",
     ast.Param("city", "STRING", like=L("Lisbon"), description=L("City"), **P)),
    ("PARAM d AS INTEGER DESCRIPTION \"Days\" OPTIONAL DEFAULT 3",
     ast.Param("d", "INTEGER", description=L("Days"), optional=True, default=L(3), **P)),
    ("PARAM d AS INTEGER DEFAULT 3 OPTIONAL DESCRIPTION \"Days\"",
     ast.Param("d", "INTEGER", description=L("Days"), optional=True, default=L(3), **P)),
    ("PARAM u AS STRING ENUM [\"C\", \"F\"] DEFAULT \"C\"",
     ast.Param("u", "STRING", default=L("C"), enum=(L("C"), L("F")), **P)),
    ("PARAM n AS STRING LIKE Nome do cliente.",
     ast.Param("n", "STRING", like=L("Nome do cliente."), **P)),
    ("PARAM op AS number LIKE 12312312 DESCRIPTION \"Operator code.\"",
     ast.Param("op", "NUMBER", like=L(12312312), description=L("Operator code."), **P)),
]


@pytest.mark.parametrize("source, expected", PARAMS, ids=[p[0] for p in PARAMS])
def test_param_forms(source, expected):
    assert stmt(source) == expected


def test_bare_description_takes_following_prose_lines():
    body = stmts("DESCRIPTION Called when the sale ends. Never\nmention this tool directly.\nTALK 1")
    assert body[0] == ast.Description(L("Called when the sale ends. Never mention this tool "
                                        "directly."), **P)
    assert body[1] == KS("TALK", L(1))


# --------------------------------------------------------------------------------------------
# Blocks


def test_if_else_if_elseif_else():
    source = ("If x = 1 Then\n TALK 1\nElse If x = 2 THEN\n TALK 2\nELSEIF x = 3 THEN\n TALK 3\n"
              "Else\n TALK 4\nEnd If")
    assert stmt(source) == ast.If((
        BR(B("=", N("x"), L(1)), KS("TALK", L(1))),
        BR(B("=", N("x"), L(2)), KS("TALK", L(2))),
        BR(B("=", N("x"), L(3)), KS("TALK", L(3))),
    ), (KS("TALK", L(4)),), **P)


def test_endif_one_word_and_if_without_then():
    assert stmt("IF x\n TALK 1\nENDIF") == ast.If((BR(N("x"), KS("TALK", L(1))),), **P)


@pytest.mark.parametrize("source, expected", [
    ("IF x THEN TALK 1", ast.If((BR(N("x"), KS("TALK", L(1))),), **P)),
    ("IF x THEN TALK 1 ELSE TALK 2", ast.If((BR(N("x"), KS("TALK", L(1))),), (KS("TALK", L(2)),), **P)),
    ("IF x THEN EXIT FOR", ast.If((BR(N("x"), ast.Exit("for", **P)),), **P)),
    ("IF x THEN y = 1", ast.If((BR(N("x"), AS(N("y"), L(1))),), **P)),
    ("if (data) THEN RETURN", ast.If((BR(N("data"), ast.Return(**P)),), **P)),
])
def test_single_line_if(source, expected):
    assert stmt(source) == expected


@pytest.mark.parametrize("closer", ["NEXT", "NEXT item", "END FOR", "End For", "next"])
def test_for_each_closers(closer):
    assert stmt(f"FOR EACH item IN items\n TALK item\n{closer}") == \
        ast.ForEach("item", N("items"), (KS("TALK", N("item")),), **P)


def test_for_each_with_do_and_keyword_iterable():
    assert stmt("FOR EACH r IN FIND \"t\" DO\nNEXT") == ast.ForEach("r", KE("FIND", L("t")), (), **P)


def test_for_range_with_step():
    assert stmt("FOR i = 1 TO LEN(x) STEP 2\n TALK i\nNEXT i") == ast.ForRange(
        "i", L(1), C("LEN", N("x")), L(2), (KS("TALK", N("i")),), **P)


@pytest.mark.parametrize("source, cond, until, after", [
    ("DO WHILE n < 3\nLOOP", B("<", N("n"), L(3)), False, False),
    ("DO UNTIL n = 3\nLOOP", B("=", N("n"), L(3)), True, False),
    ("DO\nLOOP WHILE ok", N("ok"), False, True),
    ("DO\nLOOP UNTIL done", N("done"), True, True),
    ("DO\nLOOP", None, False, False),
    ("WHILE ok\nWEND", N("ok"), False, False),
    ("WHILE ok\nEND WHILE", N("ok"), False, False),
])
def test_loops(source, cond, until, after):
    assert stmt(source) == ast.Loop(cond, until, after, (), **P)


def test_exit_kinds():
    body = stmts("DO\n EXIT DO\nLOOP\nWHILE 1\n EXIT WHILE\nWEND")
    assert body[0].body == (ast.Exit("do", **P),)
    assert body[1].body == (ast.Exit("while", **P),)


def test_select_case():
    source = ('SELECT CASE opt\n CASE "1", "one"\n  TALK 1\n CASE 2\n CASE ELSE\n  TALK 0\n'
              'END SELECT')
    assert stmt(source) == ast.SelectCase(N("opt"), (
        ast.Case((L("1"), L("one")), (KS("TALK", L(1)),), **P),
        ast.Case((L(2),), (), **P),
    ), (KS("TALK", L(0)),), **P)


def test_switch_default():
    source = 'SWITCH lang\n CASE "pt"\n  TALK "Olá"\n DEFAULT\n  TALK "Hi"\nEND SWITCH'
    assert stmt(source) == ast.SelectCase(N("lang"), (
        ast.Case((L("pt"),), (KS("TALK", L("Olá")),), **P),), (KS("TALK", L("Hi")),), **P)


@pytest.mark.parametrize("header, params", [
    ("SUB greet(who)", ("who",)),
    ("SUB greet(who AS STRING, n AS INTEGER)", ("who", "n")),
    ("SUB greet who, n", ("who", "n")),
    ("SUB greet", ()),
    ("SUB greet()", ()),
])
def test_sub_params(header, params):
    assert stmt(f"{header}\n TALK 1\nEND SUB") == ast.Routine(
        "sub", "greet", params, (KS("TALK", L(1)),), **P)


def test_function_with_return_type():
    assert stmt("FUNCTION sq(n AS NUMBER) AS NUMBER\n RETURN n * n\nEND FUNCTION") == \
        ast.Routine("function", "sq", ("n",), (ast.Return(B("*", N("n"), N("n")), **P),), **P)


def test_sub_called_without_parens_or_call():
    body = stmts("SUB greet(who)\nEND SUB\ngreet \"Ana\"\nGreet")
    assert body[1] == ast.CallStmt("greet", (L("Ana"),), **P)
    assert body[2] == ast.CallStmt("Greet", (), **P)


def test_label_and_goto():
    assert stmts("GOTO done\ndone:\nTALK 1") == [
        ast.Goto("done", **P), ast.Label("done", **P), KS("TALK", L(1))]


def test_with_block():
    assert stmt('WITH c\n name = "Ana"\n .email = e\nEND WITH') == ast.WithBlock(
        N("c"), (("name", L("Ana")), ("email", N("e"))), **P)


# --------------------------------------------------------------------------------------------
# Raw blocks


def test_begin_talk_block_is_text_with_templates():
    node = stmt('BEGIN TALK\n  Hello ${name},\n  it\'s "done" # not a comment\nEND TALK')
    assert node == ast.TextBlock("TALK", (), T("Hello ", N("name"),
                                               ",\nit's \"done\" # not a comment"), **P)


def test_begin_system_prompt_and_mail():
    assert stmt("BEGIN SYSTEM PROMPT\nBe nice.\nEND SYSTEM PROMPT") == \
        ast.TextBlock("SYSTEM PROMPT", (), L("Be nice."), **P)
    assert stmt('BEGIN MAIL "a@b.c"\nSubject: hi\nEND MAIL') == \
        ast.TextBlock("MAIL", (L("a@b.c"),), L("Subject: hi"), **P)


def test_table_fields():
    source = ("TABLE customers\n  id AS integer KEY\n  name AS string(100)\n"
              "  balance AS number(10, 2)\n  company_id AS integer REFERENCES companies\n"
              "  Tags string(max)\n  CustomerId Customers\nEND TABLE")
    assert stmt(source) == ast.Table("customers", (
        ast.TableField("id", "INTEGER", (), True, **P),
        ast.TableField("name", "STRING", (100,), **P),
        ast.TableField("balance", "NUMBER", (10, 2), **P),
        ast.TableField("company_id", "INTEGER", references="companies", **P),
        ast.TableField("Tags", "STRING", **P),
        ast.TableField("CustomerId", "CUSTOMERS", references="Customers", **P),
    ), **P)


def test_table_word_as_a_variable_is_not_a_table():
    assert stmt("table = FIND \"t\"") == AS(N("table"), KE("FIND", L("t")))


# --------------------------------------------------------------------------------------------
# Multi-agent (BASIC.md section 5)


def bot(name, action):
    return ast.BotCall(L(name), L(action), **P)


def test_section_5_example_verbatim(refund_flow_source):
    option = ast.StepOption
    assert stmts(refund_flow_source) == [
        ast.Orchestrate(L("refund-flow"), **P),
        ast.Step("1", (bot("triage", "classify the ticket"),), **P),
        ast.If((BR(B(">", N("amount"), L(500)), ast.Step(
            "2", (ast.HumanApproval(L("lead@corp.example"), **P),),
            (option("timeout", L(900), **P),
             option("on timeout", action=ast.TimeoutAction("escalate", L("boss@corp.example"), **P),
                    **P)), **P)),), **P),
        ast.Step("3", (ast.Parallel((
            ast.Branch("A", (bot("payments", "issue refund"),), **P),
            ast.Branch("B", (bot("stock", "restock item"),), **P)), **P),), **P),
        ast.Step("4", (bot("followup", "check back later"),), (option("delay", L(86400), **P),), **P),
        ast.OnEvent(L("refund_failed"), (KS("TALK", L("A refund failed; a person will call you.")),),
                    **P),
        ast.PublishEvent(L("refund_done"), O(("amount", N("amount"))), **P),
        AS(N("data"), ast.WaitForEvent(L("payment_confirmed"), L(3600), (), **P)),
        KS("BOT SHARE MEMORY", L("best_reply"), L("support-bot-2")),
        KS("BOT SYNC MEMORY", L("master-bot")),
        AS(N("summary"), KE("LLM", L("Summarise the case"), options=[("optimize for", L("cost"))])),
        ast.EndWorkflow(**P),
    ]


@pytest.mark.parametrize("line, action", [
    ("ON TIMEOUT: APPROVE", ast.TimeoutAction("approve", **P)),
    ("ON TIMEOUT: REJECT ORDER", ast.TimeoutAction("reject", note="ORDER", **P)),
    ("ON TIMEOUT: APPROVE WITH WARNING", ast.TimeoutAction("approve", note="WITH WARNING", **P)),
    ("ON TIMEOUT: CANCEL", ast.TimeoutAction("cancel", **P)),
    ("ON TIMEOUT ESCALATE TO boss", ast.TimeoutAction("escalate", N("boss"), **P)),
])
def test_on_timeout_actions(line, action):
    node = stmt(f'HUMAN APPROVAL FROM "a@b"\n  TIMEOUT 60\n  {line}\n  RETRY 2')
    assert node == ast.HumanApproval(L("a@b"), (
        ast.StepOption("timeout", L(60), **P), ast.StepOption("on timeout", action=action, **P),
        ast.StepOption("retry", L(2), **P)), **P)


def test_option_lines_under_step_parallel_belong_to_the_step_not_to_a_branch():
    node = stmt("STEP 5: PARALLEL\n  DELAY 60\n  RETRY 2\n  BRANCH A: x = 1\n  BRANCH B: y = 2\nEND PARALLEL\n  TIMEOUT 9")
    assert node == ast.Step("5", (ast.Parallel((ast.Branch("A", (AS(N("x"), L(1)),), **P),
                                                ast.Branch("B", (AS(N("y"), L(2)),), **P)), **P),),
                            (ast.StepOption("delay", L(60), **P), ast.StepOption("retry", L(2), **P),
                             ast.StepOption("timeout", L(9), **P)), **P)


def test_branch_blocks_and_bare_names():
    source = ("PARALLEL\n BRANCH A\n  TALK 1\n  TALK 2\n END BRANCH\n BRANCH B: BOT pay-bot, \"go\"\n"
              "END PARALLEL\nON EVENT order.paid DO\nEND ON\nPUBLISH EVENT job:done-1")
    assert stmts(source) == [
        ast.Parallel((ast.Branch("A", (KS("TALK", L(1)), KS("TALK", L(2))), **P),
                      ast.Branch("B", (ast.BotCall(L("pay-bot"), L("go"), **P),), **P)), **P),
        ast.OnEvent(L("order.paid"), (), **P),
        ast.PublishEvent(L("job:done-1"), **P),
    ]


def test_orchestrate_budget_and_share_live():
    assert stmts('ORCHESTRATE WORKFLOW w1 BUDGET 2.5\nBOT SHARE MEMORY "k" WITH "b" LIVE') == [
        ast.Orchestrate(L("w1"), L(2.5), **P),
        KS("BOT SHARE MEMORY", L("k"), L("b"), options=[("live", L(True))]),
    ]


def test_delay_outside_step_is_a_wait():
    assert stmts('TALK 1\nDELAY 5') == [KS("TALK", L(1)), ast.Wait(L(5), "DELAY", **P)]


def test_llm_options_on_following_lines():
    assert stmt('x = LLM "p"\n  WITH OPTIMIZE FOR "speed"\n  WITH TASK "t"') == AS(
        N("x"), KE("LLM", L("p"), options=[("optimize for", L("speed")), ("task", L("t"))]))


# --------------------------------------------------------------------------------------------
# Traps (BASIC.md section 7)


def test_multi_line_json_argument():
    source = 'r = POST url, {\n  "a": 1,\n  "b": [\n    1, 2\n  ]\n}\nTALK r'
    assert stmts(source) == [
        AS(N("r"), KE("POST", N("url"), O(("a", L(1)), ("b", A(L(1), L(2)))))), KS("TALK", N("r"))]


@pytest.mark.parametrize("joiner, op", [("+", "+"), ("&", "&"), ("AND", "and"), ("OR", "or"),
                                        ("&&", "and"), ("||", "or")])
def test_trailing_operator_continues_the_line(joiner, op):
    assert stmts(f"x = a {joiner}\n   b\nTALK x") == [AS(N("x"), B(op, N("a"), N("b"))),
                                                    KS("TALK", N("x"))]


def test_trailing_comma_and_underscore_continue_the_line():
    assert stmt('SAVE "t",\n  a,\n  b') == KS("SAVE", L("t"), N("a"), N("b"))
    assert stmt('x = a + _\n  b') == AS(N("x"), B("+", N("a"), N("b")))


def test_leading_operator_continues_the_previous_line():
    assert stmt('x = "a"\n  + "b"') == AS(N("x"), B("+", L("a"), L("b")))


def test_trailing_plus_continuation_shape():
    assert stmt('msg = "a" +\n  name') == AS(N("msg"), B("+", L("a"), N("name")))


def test_comments_everywhere():
    source = "REM one\n# two\n// three\nx = 1 ' four\n  # indented\nTALK \"it's\" ' five"
    assert stmts(source) == [AS(N("x"), L(1)), KS("TALK", L("it's"))]


def test_hash_map_literal_is_not_a_comment():
    assert stmt('x = [\n#{a: 1}\n]') == AS(N("x"), A(O(("a", L(1)))))


def test_mixed_case_and_one_variable_in_two_cases_keep_spelling():
    body = stmts("userName = 1\nTALK username")
    assert body == [AS(N("userName"), L(1)), KS("TALK", N("username"))]


def test_string_spanning_lines():
    assert stmt('TALK "a\nb"') == KS("TALK", L("a\nb"))


def test_tabs_and_unicode_identifiers():
    assert stmt("\tnúmero\t=\t1") == AS(N("número"), L(1))


def test_unknown_statements_keep_keyword_and_text():
    assert stmts('SEND SMSS "x", "y"\nCREATE DRAFT "a"\nimg = CHART "pie", d') == [
        ast.Unknown("SEND SMSS", 'SEND SMSS "x", "y"', **P),
        ast.Unknown("CREATE DRAFT", 'CREATE DRAFT "a"', **P),
        ast.Unknown("CHART", 'img = CHART "pie", d', **P),
    ]


def test_set_with_unknown_word_is_unknown():
    assert stmt('SET PAGE SIZE "A4"') == ast.Unknown("SET PAGE SIZE", 'SET PAGE SIZE "A4"', **P)


def test_section_8_statements_are_keyword_statements():
    assert stmts('SEND SMS "x", "y"\nPLAY "f"\nSET PAGE MODE "none"\nSET MAX LINES 10\n'
                 'SEND TEMPLATE "hi" TO "+55"\nALLOW ROLE "admin"\nLIST TOOLS\n'
                 'SAVE FROM UNSTRUCTURED "t", text\nSET SCHEDULE every 1 hour') == [
        KS("SEND SMS", L("x"), L("y")), KS("PLAY", L("f")), KS("SET PAGE MODE", L("none")),
        KS("SET MAX LINES", L(10)), KS("SEND TEMPLATE", L("hi"), L("+55")),
        KS("ALLOW ROLE", L("admin")), KS("LIST TOOLS"),
        KS("SAVE FROM UNSTRUCTURED", L("t"), N("text")), KS("SET SCHEDULE", L("every 1 hour")),
    ]


@pytest.mark.parametrize("source", ["", "\n\n", "' only a comment\nREM x\n"])
def test_empty_files_parse_to_an_empty_program(source):
    assert parse(source).body == ()


def test_prose_lines_among_code_become_unknown():
    body = stmts("TALK 1\nThis bot answers questions about orders\nIt is friendly")
    assert [type(s) for s in body] == [ast.KeywordStmt, ast.Unknown, ast.Unknown]
    assert body[1].keyword == "THIS"


def test_a_file_of_prose_loads_as_an_empty_program():
    assert parse("This bot answers questions.\nContact: the sales team, at any time.\n").body == ()


@pytest.mark.parametrize("source", ['SEND SMS "x"', "PLAY image", "DEBUG total", "foo(1)"])
def test_a_file_of_unsupported_statements_is_not_prose(source):
    assert parse(source).body != ()


def test_a_keyword_followed_by_a_list_literal_is_not_an_assignment():
    assert stmt("TALK [1, 2] = [1, 2]") == KS("TALK", B("=", A(L(1), L(2)), A(L(1), L(2))))
    assert stmt("list[0] = 1") == AS(I(N("list"), L(0)), L(1))


def test_positions_survive_line_joining():
    program = parse('TALK 1\nx = {\n  "a": 1\n}\n\n  y = 2')
    assert [(s.line, s.col) for s in program.body] == [(1, 1), (2, 1), (6, 3)]
    assert (program.body[1].value.items[0][1].line, program.body[1].value.items[0][1].col) == (3, 8)


def test_program_path():
    assert parse("x = 1", "start.bas").path == "start.bas"


# --------------------------------------------------------------------------------------------
# Generosity for older scripts


def test_single_line_if_followed_by_lines_and_end_if_is_a_block():
    assert stmts('IF x THEN TALK "a"\n  TALK "b"\nEND IF\nTALK "c"') == [
        ast.If((BR(N("x"), KS("TALK", L("a")), KS("TALK", L("b"))),), **P), KS("TALK", L("c"))]


def test_single_line_if_inside_a_block_if_stays_single_line():
    node = stmt('IF a THEN\n IF b THEN TALK "x"\n TALK "y"\nEND IF')
    assert node == ast.If((BR(N("a"), ast.If((BR(N("b"), KS("TALK", L("x"))),), **P),
                              KS("TALK", L("y"))),), **P)


def test_dim_and_const_are_assignments():
    assert stmts("DIM a AS STRING, b = 2\nCONST MAX_ITEMS = 10") == [
        AS(N("a"), L(None)), AS(N("b"), L(2)), AS(N("MAX_ITEMS"), L(10))]


def test_print_with_several_values_is_one_message():
    space = L(" ")
    assert stmt("PRINT a; b") == KS("PRINT", B("&", B("&", N("a"), space), N("b")))
    assert stmt("TALK a, b") == KS("TALK", B("&", B("&", N("a"), space), N("b")))


def test_param_clause_with_trailing_comma():
    assert stmt('PARAM c AS STRING LIKE "x", DESCRIPTION "y"') == ast.Param(
        "c", "STRING", like=L("x"), description=L("y"), **P)


def test_with_block_right_after_llm_is_not_an_llm_option():
    assert stmts('x = LLM "p"\nWITH task\n  name = 1\nEND WITH') == [
        AS(N("x"), KE("LLM", L("p"))), ast.WithBlock(N("task"), (("name", L(1)),), **P)]


def test_call_with_hyphenated_script_name():
    assert stmt("CALL notify-admin") == ast.CallStmt("notify-admin", (), **P)
    assert stmt("CALL x - 1") == ast.CallStmt("x", (L(-1),), **P)


def test_statement_after_else_and_case_colon():
    assert stmt("IF a THEN\n TALK 1\nELSE TALK 2\nEND IF") == ast.If(
        (BR(N("a"), KS("TALK", L(1))),), (KS("TALK", L(2)),), **P)
    assert stmt('SELECT CASE n\n CASE 1: TALK "one"\nEND SELECT') == ast.SelectCase(
        N("n"), (ast.Case((L(1),), (KS("TALK", L("one")),), **P),), **P)


def test_unknown_keyword_stops_at_a_lower_case_argument():
    assert stmt("DEBUG total").keyword == "DEBUG"
    assert stmt('Send Sms "x"').keyword == "SEND SMS"


def test_line_numbers_are_labels():
    assert stmts('10 PRINT "x"\nGOTO 10') == [ast.Label("10", **P), KS("PRINT", L("x")),
                                              ast.Goto("10", **P)]


def test_unsupported_keywords_that_start_like_known_ones_are_unknown():
    assert stmts('POST ON MASTODON u, p\nimage = GET PHOTO "a cat"') == [
        ast.Unknown("POST ON MASTODON", "POST ON MASTODON u, p", **P),
        ast.Unknown("GET PHOTO", 'image = GET PHOTO "a cat"', **P),
    ]


def test_keyword_values_of_section_8():
    assert stmts('image = GET IMAGE "a cat"\nCALL "/files/upload", f\nr = CALL "/x"\n'
                 't = LIST TOOLS\nd = DIR "docs"') == [
        AS(N("image"), ast.KeywordExpr("GET IMAGE", (L("a cat"),), **P)),
        KS("CALL API", L("/files/upload"), N("f")),
        AS(N("r"), ast.KeywordExpr("CALL API", (L("/x"),), **P)),
        AS(N("t"), ast.KeywordExpr("LIST TOOLS", (), **P)),
        AS(N("d"), ast.KeywordExpr("DIR", (L("docs"),), **P)),
    ]


def test_a_missing_comma_between_arguments_is_tolerated():
    assert stmt('SET_BOT_MEMORY "resume" resume') == KS("SET BOT MEMORY", L("resume"), N("resume"))


def test_curly_quotes_delimit_strings():
    assert stmt("talk \u201cValidate OK.\u201d") == KS("TALK", L("Validate OK."))
    assert stmt('TALK "a \u201cb\u201d"') == KS("TALK", L("a \u201cb\u201d"))


def test_set_with_a_string_and_three_values_is_unknown():
    assert isinstance(stmt('SET "sheet.xlsx", "B2", "x"'), ast.Unknown)


def test_syntax_errors_in_structure_statements_stay_errors():
    with pytest.raises(Exception) as info:
        parse("FOR EACH x\nNEXT")
    assert "expected IN" in str(info.value)


def test_a_trailing_operator_does_not_swallow_the_next_statement():
    with pytest.raises(BasicSyntaxError) as info:
        parse('x = 1 +\nTALK "hi"')
    assert (info.value.line, info.value.message) == (1, "expected an expression after '+'")
    assert stmts('msg = "a" +\n  name\nTALK msg')[0] == AS(
        N("msg"), ast.Binary("+", L("a"), N("name"), **P))


def test_parse_all_collects_every_syntax_error_in_order():
    program, problems = parse_all('TALK "a"\nx = (1 +\nTALK "a"')
    assert problems[0].message == "'(' is never closed" and program.body == ()
    program, problems = parse_all('NEXT\ny = 2 +\nTALK "b"\nz = ]\nTALK "c"')
    assert [(e.line, e.message) for e in problems] == [
        (1, "NEXT without FOR"), (2, "expected an expression after '+'"), (4, "unexpected ']'")]
    assert [type(s).__name__ for s in program.body] == ["KeywordStmt", "KeywordStmt"]


def test_set_name_comma_value_is_an_assignment():
    assert stmt('SET role, "admin"') == AS(N("role"), L("admin"))


def test_javascript_braces_get_a_clear_message_on_their_line():
    program, problems = parse_all('TALK 1\nif x == "" {\n  TALK "a"\n}\nTALK 2')
    assert [(e.line, e.message) for e in problems] == [
        (2, "braces are JavaScript, not BASIC: write IF condition THEN ... END IF")]
    assert len(program.body) == 2


def test_a_condition_may_continue_after_a_trailing_and():
    node = stmt('IF a = 1 AND\n   b = 2 THEN\n  TALK "x"\nEND IF')
    assert isinstance(node, ast.If) and node.branches[0].cond.op == "and"


def test_a_keyword_named_variable_may_continue_an_expression():
    assert stmts("total = total +\n  step\nTALK total")[0] == AS(
        N("total"), ast.Binary("+", N("total"), N("step"), **P))
