"""Django admin: write and edit quizzes comfortably.

A quiz shows its questions inline (text, time, points, order); each
question opens on its own page: its kind, read time, its kind's fields
(``kind_fields``, JSON) and, for choice and poll questions, its choices
inline. The admin keeps the document rules of every kind (quiz.documents)
so that every question written here can be played. Hosts who are not superusers see only their
own quizzes and games.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.forms import ModelForm
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.html import format_html

from .brand import LOGO_MAX_BYTES, BrandError, accent_clean, image_check, logo_url_clean
from .documents import KIND_FIELDS, document_parse
from .models import Choice, Game, HostWebhook, Question, Quiz, WebhookDelivery
from .services.brand import logo_store
from .services.quizzes import question_row_document

_M = TypeVar("_M", bound=models.Model)


class _OwnedAdmin(admin.ModelAdmin[_M]):
    owner_path = "owner"

    def get_queryset(self, request: HttpRequest) -> QuerySet[_M]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{self.owner_path: request.user})

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kw: Any) -> Any:
        # a host cannot give a quiz away, nor add questions to another's quiz
        if not request.user.is_superuser:
            if db_field.name == "owner":
                kw["queryset"] = db_field.related_model.objects.filter(pk=request.user.pk)
            elif db_field.name == "quiz":
                kw["queryset"] = Quiz.objects.filter(owner=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kw)


# image URLs typed without a scheme are https (Django 6's default already)
URL_HTTPS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class QuestionInline(admin.TabularInline[Question, Quiz]):
    model = Question
    formfield_overrides = URL_HTTPS
    fields = ("order", "kind", "text", "time_limit", "multiplier", "image")
    readonly_fields = ("kind",)  # a kind's fields are edited on the question's page
    extra = 0
    show_change_link = True  # choices are edited on the question's page
    ordering = ("order", "id")


def _brand_rule(rule: Any, value: str) -> str:
    try:
        return str(rule(value)) if value else ""
    except BrandError as e:
        raise ValidationError(e.message, code=e.code) from None


class QuizAdminForm(ModelForm[Quiz]):
    """The brand with the API's rules (quiz/brand.py): an accent #RRGGBB, a
    logo URL (https) or an uploaded image (checked by its bytes)."""

    logo_file = forms.FileField(
        required=False,
        label="Upload a logo",
        help_text=f"PNG, JPEG, WebP or GIF, at most {LOGO_MAX_BYTES // 1024} KiB and 2048×2048 "
        "pixels; replaces the logo URL",
    )
    logo_remove = forms.BooleanField(
        required=False, label="Remove the logo", help_text="neither the upload nor the URL"
    )

    class Meta:
        model = Quiz
        fields = ("owner", "title", "accent", "logo_url")

    def clean_accent(self) -> str:
        return _brand_rule(accent_clean, self.cleaned_data.get("accent") or "")

    def clean_logo_url(self) -> str:
        return _brand_rule(logo_url_clean, self.cleaned_data.get("logo_url") or "")

    def clean_logo_file(self) -> bytes | None:
        f = self.cleaned_data.get("logo_file")
        if not f:
            return None
        data = bytes(f.read(LOGO_MAX_BYTES + 1))
        try:
            image_check(data)
        except BrandError as e:
            raise ValidationError(e.message, code=e.code) from None
        return data


@admin.register(Quiz)
class QuizAdmin(_OwnedAdmin[Quiz]):
    form = QuizAdminForm
    list_display = ("title", "owner", "question_count", "updated")
    list_filter = ("owner",)
    search_fields = ("title", "owner__username", "questions__text")
    inlines = [QuestionInline]
    readonly_fields = ("logo_shown", "created", "updated")
    fields = ("owner", "title", "accent", "logo_url", "logo_file", "logo_remove", "logo_shown",
              "created", "updated")  # fmt: skip

    @admin.display(description="logo")
    def logo_shown(self, obj: Quiz) -> str:
        from .services.brand import brand_logo

        url = brand_logo(quiz=obj) if obj.pk else ""
        if not url:
            return "none"
        return format_html('<img src="{}" alt="logo" style="max-height:64px">', url)

    def save_model(self, request: HttpRequest, obj: Quiz, form: Any, change: bool) -> None:
        # one logo: an upload replaces the URL, a URL replaces the upload
        data = form.cleaned_data.get("logo_file")
        if form.cleaned_data.get("logo_remove"):
            obj.logo, obj.logo_url = None, ""
        elif data:
            obj.logo, obj.logo_url = logo_store(data=data), ""
        elif obj.logo_url:
            obj.logo = None
        super().save_model(request, obj, form, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Quiz]:
        return super().get_queryset(request).annotate(_questions=Count("questions"))

    @admin.display(description="questions", ordering="_questions")
    def question_count(self, obj: Quiz) -> int:
        # the count annotate() adds in get_queryset, unknown to the model class
        return int(obj._questions)  # type: ignore[attr-defined]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"owner": request.user.pk}


def _question_problems(question: Question, choices: list[tuple[str, bool]]) -> list[str]:
    """The document rules for one question as the admin holds it (its form's
    values and its choice rows): one message a broken rule, naming the field
    (a field of ``kind_fields`` by its own name)."""
    kind = question.kind
    fields = question.kind_fields
    if not isinstance(fields, dict):
        return ['kind_fields: must be a JSON object, e.g. {"answer": true}']
    allowed = set(KIND_FIELDS.get(kind, ())) - {"choices"}
    unknown = sorted(set(fields) - allowed)
    if unknown:
        have = ", ".join(sorted(allowed)) or "none"
        return [f"kind_fields: {kind} has no field {', '.join(unknown)} (its fields: {have})"]
    data = question_row_document(question, choices=choices, fields=fields)
    # a field the author left out of kind_fields stays out (then it is "required")
    for name in allowed - set(fields):
        data.pop(name, None)
    try:
        document_parse({"title": "admin", "questions": [data]})
    except pydantic.ValidationError as e:
        return [
            f"{'.'.join(map(str, err['loc'][2:])) or 'question'}: {err['msg']}"
            for err in e.errors()
        ]
    return []


class ChoiceFormSet(BaseInlineFormSet[Choice, Question, ModelForm[Choice]]):
    """Checks the whole question against the document rules of its kind
    (the question's own form is valid by then, and ``self.instance`` holds
    its new values)."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
        ]
        kind = self.instance.kind
        if kind in ("choice", "poll"):
            if not 2 <= len(kept) <= 6:
                raise ValidationError("A question has 2 to 6 choices.")
            if kind == "choice" and not any(c.get("correct") for c in kept):
                raise ValidationError("At least one choice must be correct.")
            if kind == "poll" and any(c.get("correct") for c in kept):
                raise ValidationError("A poll has no correct choice: untick them all.")
        elif kept:
            raise ValidationError(f"A {kind} question has no choices: delete them.")
        kept.sort(key=lambda c: c.get("order") or 0)
        problems = _question_problems(
            self.instance, [(c.get("text", ""), bool(c.get("correct"))) for c in kept]
        )
        if problems:
            raise ValidationError(problems)


class ChoiceInline(admin.TabularInline[Choice, Question]):
    model = Choice
    formset = ChoiceFormSet
    fields = ("order", "text", "correct")
    extra = 0
    min_num = 0  # a choice or a poll question has 2-6; the other kinds none
    max_num = 6
    ordering = ("order", "id")
    verbose_name_plural = "choices (choice and poll questions only; poll: none correct)"

    def get_extra(self, request: HttpRequest, obj: Question | None = None, **kw: Any) -> int:
        return 2 if obj is None else 0


@admin.register(Question)
class QuestionAdmin(_OwnedAdmin[Question]):
    owner_path = "quiz__owner"
    list_display = ("text", "quiz", "kind", "order", "time_limit", "multiplier")
    list_filter = ("kind", "multiplier")
    list_select_related = ("quiz",)
    search_fields = ("text", "quiz__title")
    ordering = ("quiz", "order", "id")
    fields = (
        "quiz", "order", "kind", "text", "image", "time_limit", "read_time", "multiplier",
        "kind_fields",
    )  # fmt: skip
    inlines = [ChoiceInline]
    formfield_overrides = URL_HTTPS


@admin.register(Game)
class GameAdmin(_OwnedAdmin[Game]):
    """Games are made by the API and the flusher; the admin only looks."""

    owner_path = "host"
    list_display = ("title", "pin", "host", "state", "created", "saved")
    list_filter = ("state", "reveal")
    search_fields = ("title", "pin", "host__username")
    exclude = ("document", "host_token_hash", "screen_token_hash", "token_seed")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(HostWebhook)
class HostWebhookAdmin(admin.ModelAdmin[HostWebhook]):
    list_display = ("host", "url", "updated")
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    """The webhook delivery log (read only)."""

    list_display = ("at", "event_id", "attempt", "status_code", "delivered", "ms", "url")
    list_filter = ("delivered", "event")
    search_fields = ("event_id", "url")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
