"""The hand-written Celery reference started over HTTP, for bench/throughput.py.

``POST /bench/celery-chain/ {"steps": n}``: what a hand-written Celery + PostgreSQL app does to
start a flow from its API, behind the same DRF authentication and permission as
``POST /api/workflows/``: write the flow's first state row, send a chain of ``n`` tasks each writing
its state row (``bench.workflow_reference``) when the transaction commits, answer 201 with the
flow's id. Served only by the bench's server (``bench.settings``), never by the platform.
"""

import uuid

from celery import chain
from django.db import transaction
from rest_framework.response import Response
from rest_framework.views import APIView

from bench.workflow_reference import chain_step, write_state


class CeleryChainStart(APIView):
    def post(self, request):
        steps = int(request.data.get("steps", 1))
        flow = f"http-{uuid.uuid4().hex}"
        with transaction.atomic():
            write_state(flow, steps + 1)  # the start, durable before the answer
            transaction.on_commit(lambda: chain(chain_step.si(flow, i) for i in reversed(range(steps))).apply_async())
        return Response({"id": flow}, status=201)
