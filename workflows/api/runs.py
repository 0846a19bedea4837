"""REST API of workflow runs and approvals (see docs/api/workflow-api.md).

Every view authenticates (token or session) and reaches only the bots the user may see
(``generalbots.bots.selectors.bots_visible_to``); starting, cancelling, retrying and deciding
also need an operator grant. Writes go through ``workflows.services``.
"""

from time import monotonic

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from generalbots.bots.selectors import bot_get_for_user
from generalbots.core.api import ApiView, PaginatedApiView, conflict
from workflows import services
from workflows.selectors import (
    ExecutionFilters,
    execution_get_for_user,
    execution_wait,
    execution_list_for_user,
    approval_get_for_user,
    approval_list_for_user,
    run_failure,
    run_records,
    run_variables,
)
from workflows.choices import ApprovalStatus
from workflows.serializers import (
    ApprovalFilterSerializer,
    ApprovalSerializer,
    DecisionSerializer,
    FilterSerializer,
    RunChildSerializer,
    RunDetailSerializer,
    RunApprovalSerializer,
    RunEventSerializer,
    RunStepSerializer,
    RunSummarySerializer,
    WorkflowStartSerializer,
)



def run_detail(execution) -> dict:
    """Everything the API says about one run."""
    data = _SUMMARY.to_representation(execution)
    data["variables"] = run_variables(execution)
    data["output"] = list(execution.output or [])
    data["failure"] = run_failure(execution)
    steps, events, children, approvals = run_records(execution)
    data["steps"] = [_STEP.to_representation(step) for step in steps]
    data["events"] = [_EVENT.to_representation(event) for event in events]
    data["children"] = [_CHILD.to_representation(child) for child in children]
    data["approvals"] = [_APPROVAL.to_representation(approval) for approval in approvals]
    return data


def started_detail(execution) -> dict:
    """``run_detail`` of a run this request has just started, without reading it back: the user
    reached its bot through ``bot_get_for_user``, and a new run has no steps, events, children or
    approvals yet (what a worker did since, ``GET /api/workflows/<id>/`` says). Five queries per
    start fewer, on the path bench/throughput.py saturates."""
    data = _SUMMARY.to_representation(execution)
    data.update(variables=run_variables(execution), output=[], failure=None, steps=[], events=[], children=[], approvals=[])
    return data


# One serializer of each kind for every request: a ModelSerializer builds its fields from the
# model on each new instance (about a sixth of a start's CPU, and half of a run's detail for a
# start with ``wait``); reading a run changes nothing in them, so one instance each, its fields
# bound here, serves every request and thread.
_SUMMARY, _STEP, _EVENT, _CHILD, _APPROVAL = (RunSummarySerializer(), RunStepSerializer(), RunEventSerializer(),
                                              RunChildSerializer(), RunApprovalSerializer())
for _bound in (_SUMMARY, _STEP, _EVENT, _CHILD, _APPROVAL):
    _bound.fields  # noqa: B018


class WorkflowListApi(PaginatedApiView):
    """``GET``: the runs you may see, newest first, filtered and paginated. ``POST``: start a run
    (with ``wait``, and the run as it stands when it has finished or the wait is over)."""

    @extend_schema(parameters=[FilterSerializer], responses=RunSummarySerializer(many=True))
    def get(self, request):
        runs = execution_list_for_user(user=request.user, filters=ExecutionFilters(**self.query(FilterSerializer)))
        return self.paginated(runs, RunSummarySerializer)

    @extend_schema(request=WorkflowStartSerializer, responses={201: RunDetailSerializer})
    def post(self, request):
        data = WorkflowStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wait = data.validated_data["wait"]
        deadline = monotonic() + wait
        bot = bot_get_for_user(name=data.validated_data["bot"], user=request.user, operate=True)
        execution = services.execution_start(
            bot=bot, variables=data.validated_data["variables"], started_by=request.user,
            script=data.validated_data.get("script"), here=wait > 0)
        if not wait:
            return Response(started_detail(execution), status=status.HTTP_201_CREATED)
        execution = execution_wait(execution, timeout=deadline - monotonic())
        return Response(run_detail(execution), status=status.HTTP_201_CREATED)


class WorkflowDetailApi(ApiView):
    """One run: its steps, variables, events, child runs and approvals."""

    @extend_schema(responses=RunDetailSerializer)
    def get(self, request, pk: str):
        return Response(run_detail(execution_get_for_user(user=request.user, execution_id=pk)))


class WorkflowCancelApi(ApiView):
    """Cancel a run that has not finished (409 when it has)."""

    @extend_schema(request=None, responses={200: RunDetailSerializer, 409: conflict("The run has finished.")})
    def post(self, request, pk: str):
        execution = execution_get_for_user(user=request.user, execution_id=pk, operate=True)
        services.execution_cancel(execution=execution)
        return Response(run_detail(execution_get_for_user(user=request.user, execution_id=pk)))


class WorkflowRetryApi(ApiView):
    """Run a failed run again from the step that failed (409 when it has not failed)."""

    @extend_schema(request=None, responses={200: RunDetailSerializer, 409: conflict("The run has not failed.")})
    def post(self, request, pk: str):
        execution = execution_get_for_user(user=request.user, execution_id=pk, operate=True)
        services.execution_retry(execution=execution)
        return Response(run_detail(execution_get_for_user(user=request.user, execution_id=pk)))


class ApprovalListApi(PaginatedApiView):
    """Approval requests of the runs you may see: pending first, then the rest newest first."""

    @extend_schema(parameters=[ApprovalFilterSerializer], responses=ApprovalSerializer(many=True))
    def get(self, request):
        approvals = approval_list_for_user(user=request.user, **self.query(ApprovalFilterSerializer))
        return self.paginated(approvals, ApprovalSerializer)


DECIDED = conflict("The request was already decided.")


class _ApprovalDecideApi(ApiView):
    decision: str = ""

    def post(self, request, pk: str):
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        approval = approval_get_for_user(user=request.user, approval_id=pk, operate=True)
        services.approval_decide(approval=approval, decision=self.decision, user=request.user,
                                 comment=data.validated_data["comment"])
        approval = approval_get_for_user(user=request.user, approval_id=pk)
        return Response(ApprovalSerializer(approval).data)


class ApprovalApproveApi(_ApprovalDecideApi):
    """Approve a pending request (409 when it was already decided); the run resumes."""

    decision = ApprovalStatus.APPROVED

    @extend_schema(request=DecisionSerializer, responses={200: ApprovalSerializer, 409: DECIDED})
    def post(self, request, pk: str):
        return super().post(request, pk)


class ApprovalRejectApi(_ApprovalDecideApi):
    """Reject a pending request (409 when it was already decided); the run resumes with approved = FALSE."""

    decision = ApprovalStatus.REJECTED

    @extend_schema(request=DecisionSerializer, responses={200: ApprovalSerializer, 409: DECIDED})
    def post(self, request, pk: str):
        return super().post(request, pk)
