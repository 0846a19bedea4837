"""The run host: how its keyword groups compose."""

from generalbots.basic import BaseHost
from workflows.runtime.host import KEYWORD_GROUPS, RunHost


def test_no_two_keyword_groups_define_the_same_name():
    # given every name each keyword group defines itself
    owners: dict[str, list[str]] = {}
    for group in KEYWORD_GROUPS:
        for name in vars(group):
            if not (name.startswith("__") and name.endswith("__")):
                owners.setdefault(name, []).append(group.__name__)
    # then each has one owner: the order of RunHost's bases decides nothing
    assert {name: groups for name, groups in owners.items() if len(groups) > 1} == {}


def test_run_host_is_the_keyword_groups_over_base_host():
    # then RunHost adds only its constructor, and BaseHost answers for what no group implements
    assert RunHost.__bases__ == (*KEYWORD_GROUPS, BaseHost)
    assert {name for name in vars(RunHost) if not name.startswith("__")} == set()
