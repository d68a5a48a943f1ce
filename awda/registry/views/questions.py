"""Extra questions: an institution's supervisors and the administrators add questions to the case form;
case workers answer them on the case page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from awda.accounts.access import signed_in_user
from awda.accounts.models import Institution
from awda.accounts.roles import Capability, has_capability
from awda.core.errors import AwdaError, NotFound
from awda.core.forms import add_error_to_form
from awda.registry import actions
from awda.registry.access import access_returnee_by_uuid
from awda.registry.models import ExtraAnswers, FormDefinition, FormQuestion


class QuestionForm(forms.Form):
    code = forms.SlugField(
        label=gettext_lazy("code"), max_length=40, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    type = forms.ChoiceField(label=gettext_lazy("type"), choices=FormQuestion.TYPE_CHOICES)
    label_ar = forms.CharField(
        label=gettext_lazy("question (Arabic)"),
        max_length=255,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    label_ckb = forms.CharField(
        label=gettext_lazy("question (Kurdish)"),
        max_length=255,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ckb"}),
    )
    label_en = forms.CharField(
        label=gettext_lazy("question (English)"),
        max_length=255,
        widget=forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
    )
    required = forms.BooleanField(label=gettext_lazy("required"), required=False)
    choices = forms.CharField(
        label=gettext_lazy("choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
        help_text=gettext_lazy("One per line: code | Arabic | Kurdish | English"),
    )
    min_value = forms.FloatField(label=gettext_lazy("minimum"), required=False)
    max_value = forms.FloatField(label=gettext_lazy("maximum"), required=False)

    def spec(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        choices = []
        for line in (data.pop("choices") or "").splitlines():
            parts = [part.strip() for part in line.split("|")]
            if parts and parts[0]:
                parts += [""] * (4 - len(parts))
                choices.append(
                    {"value": parts[0], "label_ar": parts[1], "label_ckb": parts[2], "label_en": parts[3]}
                )
        data["choices"] = choices
        return data


def _institutions_for(request: HttpRequest) -> Any:
    user = signed_in_user(request)
    if has_capability(user, Capability.MANAGE_CATEGORIES):
        return Institution.objects.filter(is_active=True)
    if has_capability(user, Capability.MANAGE_UNIT_USERS) and user.institution_id:
        return Institution.objects.filter(pk=user.institution_id)
    raise Http404


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    institutions = _institutions_for(request)
    versions = {
        i.pk: list(FormDefinition.objects.filter(institution=i).order_by("-version")[:3])
        for i in institutions
    }
    return render(request, "registry/form_list.html", {"rows": [(i, versions[i.pk]) for i in institutions]})


@login_required
def form_edit(request: HttpRequest, code: str) -> HttpResponse:
    institution = _institutions_for(request).filter(code=code).first()
    if institution is None:
        raise Http404
    user = signed_in_user(request)
    draft = FormDefinition.objects.filter(institution=institution, status="draft").first()
    form = QuestionForm(request.POST or None)
    if request.method == "POST":
        try:
            if "new_version" in request.POST:
                actions.form_draft(actor=user, institution_id=institution.pk)
                return HttpResponseRedirect(reverse("registry:form_edit", args=[code]))
            if draft is None:
                raise Http404
            if "publish" in request.POST:
                actions.form_publish(actor=user, form=draft)
                messages.success(request, _("The new version of the questions is published."))
                return HttpResponseRedirect(reverse("registry:form_edit", args=[code]))
            if "delete" in request.POST:
                actions.form_question_delete(actor=user, form=draft, code=request.POST["delete"])
                return HttpResponseRedirect(reverse("registry:form_edit", args=[code]))
            if form.is_valid():
                actions.form_question_save(actor=user, form=draft, spec=form.spec())
                messages.success(request, _("The question has been saved in the draft."))
                return HttpResponseRedirect(reverse("registry:form_edit", args=[code]))
        except AwdaError as error:
            add_error_to_form(form, error)
    context = {
        "institution": institution,
        "draft": draft,
        "form": form,
        "published": actions.published_form(institution.pk),
        "questions": list(draft.questions.all()) if draft else [],
    }
    return render(request, "registry/form_edit.html", context, status=400 if form.errors else 200)


def answers_form_class(questions: list[FormQuestion]) -> type[forms.Form]:
    """A Django form for one version's questions, with labels in the active language."""
    fields: dict[str, forms.Field] = {}
    for q in questions:
        label = q.name
        if q.type in ("select_one", "select_multiple"):
            language = (get_language() or "ar").split("-")[0]
            choices = [(c["value"], c.get(f"label_{language}") or c["label_en"]) for c in q.choices]
            if q.type == "select_one":
                fields[q.code] = forms.ChoiceField(label=label, choices=[("", "—"), *choices], required=False)
            else:
                fields[q.code] = forms.MultipleChoiceField(
                    label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
                )
        elif q.type == "yes_no":
            fields[q.code] = forms.ChoiceField(
                label=label, choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))], required=False
            )
        elif q.type == "date":
            fields[q.code] = forms.CharField(
                label=label, required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
        else:
            fields[q.code] = forms.CharField(
                label=label,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}) if q.type == "text" else None,
            )
    return type("AnswersForm", (forms.Form,), fields)


@login_required
def case_extra(request: HttpRequest, returnee_uuid: str) -> HttpResponse:
    user = signed_in_user(request)
    try:
        returnee = access_returnee_by_uuid(user, returnee_uuid, for_edit=True)
    except NotFound as error:
        raise Http404 from error
    form_definition = actions.published_form(returnee.institution_id)
    if form_definition is None:
        raise Http404
    questions = list(form_definition.questions.all())
    existing = ExtraAnswers.objects.filter(returnee=returnee, form=form_definition).first()
    initial = {
        k: ("yes" if v is True else "no" if v is False else v)
        for k, v in (existing.answers if existing else {}).items()
    }
    answers_form = answers_form_class(questions)(request.POST or None, initial=initial)
    if request.method == "POST" and answers_form.is_valid():
        language = (get_language() or "ar").split("-")[0]
        try:
            actions.extra_answers_save(
                actor=user, returnee=returnee, answers=answers_form.cleaned_data, language=language
            )
        except AwdaError as error:
            add_error_to_form(answers_form, error)
        else:
            messages.success(request, _("The answers have been saved."))
            return HttpResponseRedirect(reverse("registry:case", args=[returnee.uuid]) + "#extra")
    context = {"returnee": returnee, "form": answers_form, "version": form_definition.version}
    return render(request, "registry/case_extra.html", context, status=400 if answers_form.errors else 200)
