"""Settings modules.

``base`` is the one configuration of both modes: the environment picks SQLite or PostgreSQL,
in-process or Redis. ``production`` hardens it for a public deployment (``check --deploy``)
and ``test`` points it at the local PostgreSQL and Redis the test suite runs against.
"""
