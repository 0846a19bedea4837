from django.urls import path

from workflows import api

urlpatterns = [
    path("workflows/", api.WorkflowListApi.as_view(), name="workflow-list"),
    path("workflows/<str:pk>/", api.WorkflowDetailApi.as_view(), name="workflow-detail"),
    path("workflows/<str:pk>/cancel", api.WorkflowCancelApi.as_view(), name="workflow-cancel"),
    path("workflows/<str:pk>/retry", api.WorkflowRetryApi.as_view(), name="workflow-retry"),
    path("approvals/", api.ApprovalListApi.as_view(), name="approval-list"),
    path("events/", api.EventListApi.as_view(), name="event-list"),
    path("approvals/<str:pk>/approve", api.ApprovalApproveApi.as_view(), name="approval-approve"),
    path("approvals/<str:pk>/reject", api.ApprovalRejectApi.as_view(), name="approval-reject"),
]
