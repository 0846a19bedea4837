"""Position-free AST builders for parser tests: ``strip(node)`` zeroes every line/col so a
parsed tree compares equal to one built with these helpers."""

from dataclasses import fields

from generalbots.basic import ast
from generalbots.basic.parser import parse, parse_expression


def strip(x):
    if isinstance(x, ast.Node):
        values = {f.name: strip(getattr(x, f.name)) for f in fields(x)}
        values.update(line=0, col=0)
        return type(x)(**values)
    if isinstance(x, tuple):
        return tuple(strip(item) for item in x)
    return x


def expr(text):
    return strip(parse_expression(text))


def stmts(source):
    return list(strip(parse(source).body))


def stmt(source):
    body = stmts(source)
    assert len(body) == 1, body
    return body[0]


P = {"line": 0, "col": 0}


def L(value):
    return ast.Literal(value, **P)


def N(name):
    return ast.Name(name, **P)


def B(op, left, right):
    return ast.Binary(op, left, right, **P)


def U(op, operand):
    return ast.Unary(op, operand, **P)


def M(obj, name, optional=False):
    return ast.Member(obj, name, optional, **P)


def I(obj, index):
    return ast.Index(obj, index, **P)


def C(name, *args, via_call=False):
    return ast.Call(name, tuple(args), via_call, **P)


def MC(obj, name, *args):
    return ast.MethodCall(obj, name, tuple(args), **P)


def KE(keyword, *args, options=()):
    return ast.KeywordExpr(keyword, tuple(args), tuple(options), **P)


def KS(keyword, *args, options=()):
    return ast.KeywordStmt(keyword, tuple(args), tuple(options), **P)


def T(*parts):
    return ast.Template(tuple(parts), **P)


def A(*items):
    return ast.ArrayLit(tuple(items), **P)


def O(*items):
    return ast.ObjectLit(tuple(items), **P)


def AS(target, value):
    return ast.Assign(target, value, **P)


def ES(expr):
    return ast.ExprStmt(expr, **P)


def BR(cond, *body):
    return ast.IfBranch(cond, tuple(body), **P)
