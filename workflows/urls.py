from django.urls import path

from workflows import views

app_name = "workflows"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("events/", views.event_log, name="events"),
    path("start/", views.start_list, name="start"),
    path("start/<str:bot>/", views.start_run, name="start-run"),
    path("approvals/", views.approval_inbox, name="approvals"),
    path("runs/<str:pk>/", views.run_page, name="run"),
    path("runs/<str:pk>/inline/", views.run_inline, name="run-inline"),
    path("runs/<str:pk>/<str:action>", views.run_action, name="run-action"),
    path("approvals/<str:pk>/decide", views.approval_decide, name="approval-decide"),
    path("approvals/link/<str:token>/", views.approval_link, name="approval-link"),
]
