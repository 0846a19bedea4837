"""Multi-agent statement nodes (BASIC.md section 5): ORCHESTRATE WORKFLOW, STEP and its option
lines, BOT, HUMAN APPROVAL, PARALLEL / BRANCH, ON EVENT, PUBLISH EVENT."""

from __future__ import annotations

from dataclasses import dataclass

from .base import Block, Node
from .expressions import Expr


@dataclass(frozen=True, slots=True)
class Orchestrate(Node):
    """ORCHESTRATE WORKFLOW name [BUDGET dollars]."""

    name: Expr
    budget: Expr | None = None


@dataclass(frozen=True, slots=True)
class EndWorkflow(Node):
    pass


TIMEOUT_ACTIONS = ("escalate", "approve", "reject", "cancel")


@dataclass(frozen=True, slots=True)
class TimeoutAction(Node):
    """ON TIMEOUT: ESCALATE TO who | APPROVE [note] | REJECT [note] | CANCEL. ``note`` keeps the
    trailing words as written (``REJECT ORDER`` -> note "ORDER")."""

    kind: str
    target: Expr | None = None
    note: str = ""


STEP_OPTION_KINDS = ("timeout", "on timeout", "delay", "retry")


@dataclass(frozen=True, slots=True)
class StepOption(Node):
    """An option line under a STEP (or a bare HUMAN APPROVAL): TIMEOUT s, ON TIMEOUT: action,
    DELAY s, RETRY n. ``value`` is set for timeout/delay/retry, ``action`` for on timeout."""

    kind: str
    value: Expr | None = None
    action: TimeoutAction | None = None


@dataclass(frozen=True, slots=True)
class BotCall(Node):
    """``BOT "name" "action"`` (also with a comma between the two)."""

    bot: Expr
    action: Expr | None = None


@dataclass(frozen=True, slots=True)
class HumanApproval(Node):
    """HUMAN APPROVAL FROM who; ``options`` are the option lines right after it when it is
    not the action of a STEP (inside a STEP they belong to the Step)."""

    approver: Expr
    options: tuple[StepOption, ...] = ()


@dataclass(frozen=True, slots=True)
class Branch(Node):
    """BRANCH X: statement, or BRANCH X ... END BRANCH."""

    label: str
    body: Block


@dataclass(frozen=True, slots=True)
class Parallel(Node):
    branches: tuple[Branch, ...]


@dataclass(frozen=True, slots=True)
class Step(Node):
    """STEP n: action, followed by its option lines. ``label`` is the step number as written
    ("1", "2"); numbers may repeat. ``body`` is the action (usually one statement: BotCall,
    HumanApproval, Parallel, or any other statement)."""

    label: str
    body: Block
    options: tuple[StepOption, ...] = ()


@dataclass(frozen=True, slots=True)
class OnEvent(Node):
    """ON EVENT name DO ... END ON: a handler owned by the run."""

    name: Expr
    body: Block


@dataclass(frozen=True, slots=True)
class PublishEvent(Node):
    """PUBLISH EVENT name [WITH data]."""

    name: Expr
    data: Expr | None = None
