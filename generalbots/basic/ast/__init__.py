"""The abstract syntax tree of General Bots BASIC.

This module is the contract between the parser (which builds these nodes) and the compiler
(which turns them into a resumable program). Nodes are frozen, slotted dataclasses; every node
carries the 1-based ``line`` and ``col`` where it starts. Tuples, never lists, hold children so
that trees are hashable and immutable.

Conventions the parser guarantees:

* Names keep the spelling of the source (``userName``); the compiler folds case.
* Keywords are canonical: upper case, words separated by one space, underscores read as spaces
  (``SET_BOT_MEMORY`` -> ``"SET BOT MEMORY"``, ``add tool`` -> ``"ADD TOOL"``).
* Binary operators are canonical: ``==`` -> ``"="``, ``!=`` -> ``"<>"``, ``%`` -> ``"mod"``,
  ``&&`` -> ``"and"``, ``||`` -> ``"or"``, ``!x`` -> ``Unary("not", x)``. See ``BINARY_OPS``.
* ``x AS y`` argument forms are flattened into positional arguments
  (``SET BOT MEMORY k AS v`` == ``SET BOT MEMORY k, v``); see ``KEYWORD_FORMS``.
* Unquoted event names (``ON EVENT refund_failed DO``) become string ``Literal`` nodes.
* Keyword expressions that are really builtin calls become ``Call`` nodes
  (``FORMAT x AS "mask"`` -> ``Call("FORMAT", (x, mask))``, ``FIRST e`` -> ``Call("FIRST", (e,))``).
* ``x = HEAR ...`` becomes ``Hear(target=Name("x"), ...)``.

A package, split by kind of node (``expressions``, ``statements``, ``workflow``) with
``KEYWORD_FORMS`` in ``keyword_forms``; every name is re-exported here, so callers write
``ast.Name`` and never import the submodules.
"""

from __future__ import annotations

from .base import Block, Node
from .expressions import (BINARY_OPS, UNARY_OPS, ArrayLit, Binary, Call, Conditional, Expr, Index,
                          IsNull, KeywordExpr, Literal, Member, MethodCall, Name, ObjectLit,
                          Template, Unary, WaitForEvent)
from .keyword_forms import KEYWORD_FORMS
from .statements import (EXIT_KINDS, TEXT_BLOCK_KINDS, Assign, CallStmt, Case, Description, Exit,
                         ExprStmt, ForEach, ForRange, Goto, Hear, If, IfBranch, KeywordStmt, Label,
                         Loop, OnError, Param, Program, Return, Routine, SelectCase, Stmt, Table,
                         TableField, TextBlock, Throw, Unknown, Wait, WithBlock)
from .workflow import (STEP_OPTION_KINDS, TIMEOUT_ACTIONS, BotCall, Branch, EndWorkflow,
                       HumanApproval, OnEvent, Orchestrate, Parallel, PublishEvent, Step,
                       StepOption, TimeoutAction)

__all__ = [
    "BINARY_OPS", "EXIT_KINDS", "KEYWORD_FORMS", "STEP_OPTION_KINDS", "TEXT_BLOCK_KINDS",
    "TIMEOUT_ACTIONS", "UNARY_OPS", "ArrayLit", "Assign", "Binary", "Block", "BotCall", "Branch",
    "Call", "CallStmt", "Case", "Conditional", "Description", "EndWorkflow", "Exit", "Expr",
    "ExprStmt", "ForEach", "ForRange", "Goto", "Hear", "HumanApproval", "If", "IfBranch", "Index",
    "IsNull", "KeywordExpr", "KeywordStmt", "Label", "Literal", "Loop", "Member", "MethodCall",
    "Name", "Node", "ObjectLit", "OnError", "OnEvent", "Orchestrate", "Parallel", "Param",
    "Program", "PublishEvent", "Return", "Routine", "SelectCase", "Step", "StepOption", "Stmt",
    "Table", "TableField", "Template", "TextBlock", "Throw", "TimeoutAction", "Unary", "Unknown",
    "Wait", "WaitForEvent", "WithBlock",
]
