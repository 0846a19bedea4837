"""``gb run FILE [--input TEXT ...]``: run one script in the console host.

TALK prints; HEAR takes the ``--input`` values in order, then reads standard input.
"""

HELP = "Run a .bas script in the terminal (TALK prints, HEAR reads --input values then stdin)."


class _CommandOutput:
    """A file-like view of the command's stdout that writes text exactly as given."""

    def __init__(self, wrapper):
        self._wrapper = wrapper

    def write(self, text: str) -> int:
        self._wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self._wrapper.flush()


def add_arguments(parser) -> None:
    parser.add_argument("file", metavar="FILE", help="the .bas script to run")
    parser.add_argument("--input", action="append", default=[], metavar="TEXT",
                        help="an answer for HEAR (repeat for several, in order)")


def handle(command, options) -> None:
    from generalbots.basic.console import run_script

    status = run_script(options["file"], inputs=options["input"], stdout=_CommandOutput(command.stdout))
    if status:
        raise SystemExit(status)
