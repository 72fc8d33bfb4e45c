"""Django admin: write and edit quizzes comfortably.

A quiz shows its questions inline (text, time, points, order); each
question opens on its own page with its choices inline. The admin keeps
the document rules (2-6 choices, at least one correct) so that every quiz
written here can be played. Hosts who are not superusers see only their
own quizzes and games.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.forms import ModelForm
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from .models import Choice, Game, Question, Quiz

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
    fields = ("order", "text", "time_limit", "multiplier", "image")
    extra = 0
    show_change_link = True  # choices are edited on the question's page
    ordering = ("order", "id")


@admin.register(Quiz)
class QuizAdmin(_OwnedAdmin[Quiz]):
    list_display = ("title", "owner", "question_count", "updated")
    list_filter = ("owner",)
    search_fields = ("title", "owner__username", "questions__text")
    inlines = [QuestionInline]
    readonly_fields = ("created", "updated")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Quiz]:
        return super().get_queryset(request).annotate(_questions=Count("questions"))

    @admin.display(description="questions", ordering="_questions")
    def question_count(self, obj: Quiz) -> int:
        # the count annotate() adds in get_queryset, unknown to the model class
        return int(obj._questions)  # type: ignore[attr-defined]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        return {"owner": request.user.pk}


class ChoiceFormSet(BaseInlineFormSet[Choice, Question, ModelForm[Choice]]):
    def clean(self) -> None:
        super().clean()
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE", False)
        ]
        if not 2 <= len(kept) <= 6:
            raise ValidationError("A question has 2 to 6 choices.")
        if not any(c.get("correct") for c in kept):
            raise ValidationError("At least one choice must be correct.")


class ChoiceInline(admin.TabularInline[Choice, Question]):
    model = Choice
    formset = ChoiceFormSet
    fields = ("order", "text", "correct")
    extra = 0
    min_num = 2
    max_num = 6
    ordering = ("order", "id")


@admin.register(Question)
class QuestionAdmin(_OwnedAdmin[Question]):
    owner_path = "quiz__owner"
    list_display = ("text", "quiz", "order", "time_limit", "multiplier")
    list_filter = ("multiplier",)
    list_select_related = ("quiz",)
    search_fields = ("text", "quiz__title")
    ordering = ("quiz", "order", "id")
    inlines = [ChoiceInline]
    formfield_overrides = URL_HTTPS


@admin.register(Game)
class GameAdmin(_OwnedAdmin[Game]):
    """Games are made by the API and the flusher; the admin only looks."""

    owner_path = "host"
    list_display = ("title", "pin", "host", "state", "created", "saved")
    list_filter = ("state", "reveal")
    search_fields = ("title", "pin", "host__username")
    exclude = ("document", "host_token_hash", "screen_token_hash")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
