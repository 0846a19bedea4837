"""A keyword that starts child runs suspends with a request its driver fulfils (basic/host.py)."""

from generalbots.basic import (VM, BaseHost, Child, SliceStatus, StartChildren, Suspend, WaitKind,
                               compile_source)


class RequestingHost(BaseHost):
    """BOT asks for one child; everything the script TALKs is kept."""

    def __init__(self):
        self.said = []

    def talk(self, ctx, text):
        self.said.append(text)

    def bot_call(self, ctx, bot, action, variables):
        return Suspend.start(StartChildren(WaitKind.BOT, ctx.key_text, (Child(bot, variables={"input": action}),),
                                           name=bot))


SOURCE = 'STEP 1: BOT "helper" "go"\nTALK "after"\n'


def test_the_request_comes_back_with_the_suspension_and_the_value_resumes_the_call():
    # given a script whose BOT step the host answers with a request
    host = RequestingHost()
    vm = VM(compile_source(SOURCE), host)
    # when it runs
    result = vm.run()
    # then it stops with the request, not a wait of its own
    assert result.status == SliceStatus.SUSPENDED and result.wait["kind"] == WaitKind.BOT
    request = result.request
    assert request.kind == WaitKind.BOT and request.name == "helper" and request.key == "2:1"  # step_begin was call 1
    assert request.children[0].variables == {"input": "go"}
    # and the driver's value is the call's result: the script goes on
    assert vm.resume({"variables": {}, "output": ["hi"], "value": None}).status == SliceStatus.FINISHED
    assert host.said == ["after"]


def test_a_request_the_driver_cannot_fulfil_at_once_waits_on_the_join_and_is_never_saved():
    # given a run suspended on a request
    vm = VM(compile_source(SOURCE), RequestingHost())
    vm.run()
    # when its driver leaves it waiting on the join
    result = vm.wait_on({"kind": WaitKind.BOT, "key": "1:1", "child": "c1"})
    # then it waits on that, with no request left to fulfil, in a state that can be saved
    assert result.status == SliceStatus.SUSPENDED and result.request is None
    assert vm.state["wait"] == {"kind": "bot", "key": "1:1", "child": "c1"}
    restored = VM.restore(compile_source(SOURCE), vm.state, RequestingHost())
    assert restored.request is None and restored.wait == vm.wait
