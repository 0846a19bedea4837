"""The keyword groups of the run host, one module per concern; ``runtime.host.RunHost``
composes them (no two groups define the same method, so their order does not matter)."""
