from django.urls import path

from designer import views
from designer.gallery.views import template_use_view

app_name = "designer"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.document_new, name="new"),
    path("open/", views.document_open_script, name="open-script"),
    path("import/", views.document_upload, name="import"),
    path("templates/<str:slug>/", template_use_view, name="template-use"),
    path("<uuid:document_id>/", views.editor, name="editor"),
    path("<uuid:document_id>/preview/", views.preview, name="preview"),
    path("<uuid:document_id>/save/", views.save, name="save"),
    path("<uuid:document_id>/publish/", views.publish, name="publish"),
    path("<uuid:document_id>/run/", views.run, name="run"),
    path("<uuid:document_id>/runs/<uuid:run_id>/steps/", views.run_steps, name="run-steps"),
    path("<uuid:document_id>/runs/<uuid:run_id>/steps/<int:step_id>/rerun/", views.rerun, name="rerun"),
    path("<uuid:document_id>/versions/", views.versions, name="versions"),
    path("<uuid:document_id>/versions/<int:script_id>/restore/", views.restore, name="restore"),
]
