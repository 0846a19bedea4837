"""The gallery's page: *use this template* (``/designer/templates/<slug>/``). GET shows the
form; a valid POST copies the template (``template_use``) and opens the new workflow on the
canvas; a refused one shows the form again with the errors beside their fields (400)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from designer.gallery.forms import UseTemplateForm
from designer.gallery.selectors import template_get
from designer.gallery.services import template_names, template_use
from generalbots.bots.selectors import organizations_for_package_upload
from generalbots.core.exceptions import ApplicationError, NotFoundError


@require_http_methods(["GET", "POST"])
@login_required
def template_use_view(request, slug: str):
    try:
        template = template_get(slug=slug)
    except NotFoundError as exc:
        return render(request, "designer/_message.html", {"message": exc.message, "level": "error"}, status=404)
    organizations = list(organizations_for_package_upload(user=request.user).order_by("name"))
    form = UseTemplateForm(request.POST if request.method == "POST" else None, template=template,
                           organizations=organizations)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data.get("organization")
        organization = next((o for o in organizations if o.slug == chosen), organizations[0] if organizations else None)
        try:
            if organization is None:
                raise ApplicationError("You may not install bots anywhere: ask for an operator grant on a bot of "
                                       "your organization.", code="designer.organization_denied")
            document = template_use(user=request.user, template=template, name=form.cleaned_data["name"],
                                    organization=organization, config=form.config())
        except ApplicationError as exc:
            form.add_error("name" if exc.extra.get("field") == "name" else None, exc.message)
        else:
            return redirect("designer:editor", document.pk)
    copies = template_names(template, "NAME")
    return render(request, "designer/template_use.html", {
        "template": template, "form": form, "copies": [copies[p.name] for p in template.packages],
    }, status=400 if form.errors else 200)
