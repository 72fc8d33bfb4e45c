"""The durable record (docs/persistence.md). Redis holds the live game;
these rows are written behind it by ``manage.py flush_scores``."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from engine.types import KINDS


class Logo(models.Model):
    """An uploaded logo's bytes (quiz/brand.py checked them), in PostgreSQL
    so every web server can serve it. Named by the SHA-256 of its bytes: its
    URL (/api/logos/<sha256>.<ext>) never changes meaning, so it is cached
    forever, and the same image uploaded twice is one row. A game keeps the
    URL of the logo it opened with, so a row outlives its quiz's change."""

    sha256 = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=20)
    ext = models.CharField(max_length=4)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    data = models.BinaryField()
    created = models.DateTimeField(auto_now_add=True)

    @property
    def url(self) -> str:
        return f"/api/logos/{self.sha256}.{self.ext}"

    def __str__(self) -> str:
        return f"{self.sha256[:12]}.{self.ext} ({self.width}×{self.height})"


class Quiz(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quizzes"
    )
    title = models.CharField(max_length=200)
    # Branding (quiz/brand.py): "#rrggbb" or "", and a logo: an uploaded
    # image or an https URL, one or the other (setting one clears the other).
    accent = models.CharField(max_length=7, blank=True, default="", db_default="",
                              help_text="#RRGGBB, or empty for the default colours")  # fmt: skip
    logo_url = models.CharField(max_length=500, blank=True, default="", db_default="",
                                help_text="an https:// image URL (or upload a logo instead)")  # fmt: skip
    logo = models.ForeignKey(Logo, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="quizzes", help_text="an uploaded logo")  # fmt: skip
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated", "-id"]
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=500)
    time_limit = models.PositiveIntegerField(
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text="seconds, 5-240",
    )
    multiplier = models.PositiveSmallIntegerField(
        default=1, choices=[(0, "no points"), (1, "standard"), (2, "double points")]
    )
    image = models.URLField(max_length=500, blank=True, null=True)
    kind = models.CharField(
        max_length=16, default="choice", choices=[(k, k.replace("_", " ")) for k in KINDS]
    )
    read_time = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(15)],
        help_text="seconds the question is shown before answers open, 0-15",
    )
    # The kind's own fields but choices (those are Choice rows), as the quiz
    # document writes them: {"answer": true} for true_false; {"min", "max",
    # "step", "answer", "tolerance", "unit"} for slider; {"accepted",
    # "max_length"} for type_answer; {"items"} for ordering; {"max_length"}
    # for word_cloud; {} for choice, poll and info (docs/quizzes.md).
    kind_fields = models.JSONField(
        default=dict,
        blank=True,
        help_text='the kind\'s fields but choices, e.g. for a slider {"min": 0, "max": 100, '
        '"step": 5, "answer": 40, "tolerance": 10, "unit": "%"} (docs/quizzes.md)',
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveIntegerField(default=0)
    text = models.CharField(max_length=200)
    correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


def new_game_key() -> str:
    return secrets.token_hex(6)


class Game(models.Model):
    class State(models.TextChoices):
        LOBBY = "lobby"
        QUESTION = "question"
        REVEAL = "reveal"
        FINISHED = "finished"

    class Reveal(models.TextChoices):
        LIVE = "live"
        ON_CLOSE = "on_close"

    class Names(models.TextChoices):
        OFF = "off"
        OFFERED = "offered"
        REQUIRED = "required"

    # The game's id in Redis (g:{key}:...). Random, not the primary key: a
    # database restored or recreated reuses primary keys, and a Redis that
    # outlives it must never mistake an old game for a new one.
    key = models.CharField(max_length=32, unique=True, default=new_game_key, editable=False)
    quiz = models.ForeignKey(Quiz, on_delete=models.SET_NULL, null=True, related_name="games")
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="games"
    )
    title = models.CharField(max_length=200)
    # The quiz as it was when the game opened (a quiz document): editing the
    # quiz later never changes a game's questions or results.
    document = models.JSONField()
    pin = models.CharField(max_length=6, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.LOBBY)
    reveal = models.CharField(max_length=10, choices=Reveal.choices, default=Reveal.ON_CLOSE)
    max_players = models.PositiveIntegerField(default=0)
    late_join = models.BooleanField(default=True)
    # null, or {"reveal_s", "leaderboard_s"}: the server advances the show itself
    auto_advance = models.JSONField(null=True, blank=True, default=None)
    # null, or {"mode": "choose"|"auto", "score": "sum"|"average", "names": [...]}
    teams = models.JSONField(null=True, blank=True, default=None)
    host_token_hash = models.CharField(max_length=64)
    # A random secret of the game's, in PostgreSQL only (never in Redis or an
    # API answer): its tokens are an HMAC of it under SECRET_KEY
    # (quiz.services.host_keys), so the owner can get them again from any
    # device, and a game's public key alone never derives them, even under
    # the public development SECRET_KEY. "" for games opened before it.
    token_seed = models.CharField(max_length=64, blank=True, default="", db_default="")
    # kept so that rebuild_game can restore the big screen's access too
    screen_token_hash = models.CharField(max_length=64, blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    # set once the final scores are in PostgreSQL: results are "saved"
    saved = models.DateTimeField(null=True, blank=True)
    # the Redis epoch last seen; rebuild_game bumps it
    epoch = models.PositiveIntegerField(default=1)
    # The Redis meta hash and question states as of the last flush, and when
    # that was: what rebuild_game restores after Redis lost the game.
    snapshot = models.JSONField(default=dict, blank=True)
    flushed = models.DateTimeField(null=True, blank=True)
    # The answer log's position (docs/persistence.md): the id of the last log
    # entry whose answer is in quiz_answer ("": none yet), written in the same
    # transaction as the answers' COPY, so each entry is copied exactly once;
    # and the position the Score rows were last materialized at.
    log_pos = models.CharField(max_length=40, blank=True, default="", db_default="")
    scored_pos = models.CharField(max_length=40, blank=True, default="", db_default="")
    # Webhooks (quiz/webhooks, docs/protocol.md "Webhooks"): the game's
    # receiver, fixed when the game opens ("" : none); the host's default
    # (HostWebhook) is copied in unless the game names its own or null.
    webhook_url = models.CharField(max_length=500, blank=True, default="", db_default="")
    webhook_secret = models.CharField(max_length=200, blank=True, default="", db_default="")
    # Player names (quiz/friendly_names.py): typed ("off"), generated names
    # proposed ("offered") or the only ones allowed ("required").
    names = models.CharField(
        max_length=10, choices=Names.choices, default=Names.OFF, db_default=Names.OFF
    )
    # The quiz's brand when the game opened (like ``document``): "#rrggbb"
    # or "", and the logo's URL (/api/logos/... or https://...) or "".
    accent = models.CharField(max_length=7, blank=True, default="", db_default="")
    logo = models.CharField(max_length=500, blank=True, default="", db_default="")

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.title} ({self.pin})"


class Player(models.Model):
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="players")
    number = models.PositiveIntegerField(help_text="the engine's player id in this game")
    nickname = models.CharField(max_length=100)  # 20 graphemes (quiz/nicknames.py)
    token_hash = models.CharField(max_length=64, blank=True, default="")
    joined_ms = models.BigIntegerField(default=0)
    kicked = models.BooleanField(default=False)
    team = models.PositiveSmallIntegerField(null=True, blank=True, default=None)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["game", "number"], name="player_unique_number")
        ]
        ordering = ["game", "number"]

    def __str__(self) -> str:
        return self.nickname


class Answer(models.Model):
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="answers")
    # no index of its own: answer_once_per_question's (player, question) serves
    # it, and one index less is what every appended answer saves
    player = models.ForeignKey(
        Player, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    question = models.PositiveIntegerField()
    choices = models.JSONField(default=list)  # choice kinds; [] for the others
    # the answer as given: choices, the slider's number, the text, the order
    value = models.JSONField(null=True, blank=True, default=None)
    points = models.IntegerField(default=0)
    bonus = models.IntegerField(default=0)
    correct = models.BooleanField(null=True, default=False)  # null: an unscored kind
    elapsed_ms = models.IntegerField(default=0)
    total = models.IntegerField(default=0)
    streak = models.IntegerField(default=0)
    # the player's stats version after this answer (the log entry's): a Score
    # row at version V sums exactly the answers with version <= V
    version = models.PositiveIntegerField(default=0, db_default=0)
    # the player's reached_ms after this answer (the tie-break), kept on the
    # player's last scoring answer of each flush (null on the others): what
    # the stats derived from the answers need (docs/persistence.md)
    reached_ms = models.BigIntegerField(null=True, blank=True, default=None)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["player", "question"], name="answer_once_per_question")
        ]
        ordering = ["question", "player"]


class Score(models.Model):
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="scores")
    player = models.OneToOneField(Player, on_delete=models.CASCADE, related_name="score")
    total = models.IntegerField(default=0)
    rank = models.PositiveIntegerField(default=0)
    correct_count = models.PositiveIntegerField(default=0)
    streak = models.PositiveIntegerField(default=0)
    streak_round = models.PositiveIntegerField(default=0)
    best_streak = models.PositiveIntegerField(default=0)
    reached_ms = models.BigIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)
    # the rest of the engine's stats, so rebuild_game restores them exactly
    last_round = models.PositiveIntegerField(default=0)
    last_points = models.IntegerField(default=0)

    class Meta:
        ordering = ["game", "rank"]


class TeamStanding(models.Model):
    """A team's standing as of the last flush (final once the game is
    saved): written by the flusher where its version is newer, like Score."""

    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="team_standings")
    team = models.PositiveSmallIntegerField(help_text="index, from 0, in the order given")
    name = models.CharField(max_length=30)
    total = models.BigIntegerField(default=0)
    members = models.PositiveIntegerField(default=0)
    score = models.BigIntegerField(default=0)
    rank = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["game", "team"], name="team_once_per_game")]
        ordering = ["game", "rank", "team"]

    def __str__(self) -> str:
        return f"{self.name} ({self.score})"


class HostWebhook(models.Model):
    """A host's default webhook: copied into every game the host opens
    without a webhook of its own (PUT/GET/DELETE /api/webhook)."""

    host = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook"
    )
    url = models.CharField(max_length=500)
    secret = models.CharField(max_length=200, blank=True, default="")
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.url


class WebhookEvent(models.Model):
    """One webhook event of a game, built once: every attempt (and a
    re-delivery after a worker crash) sends this same body under this same
    id, so receivers de-duplicate by ``event_id``."""

    event_id = models.CharField(max_length=80, unique=True)
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="webhook_events")
    event = models.CharField(max_length=32)
    url = models.CharField(max_length=500)
    # what was read from Redis at first sight (a close's top 10 as of the
    # close), then the JSON sent: built once, "" until then
    data = models.JSONField(default=dict, blank=True)
    body = models.TextField(blank=True, default="")
    created = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    # delivered (a 2xx) or failed (gave up after the retry window)
    done = models.DateTimeField(null=True, blank=True)
    delivered = models.BooleanField(default=False)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return self.event_id


class WebhookDelivery(models.Model):
    """One attempt to POST an event: the delivery log (GET /api/games/<pin>/webhooks)."""

    event_id = models.CharField(max_length=80, db_index=True)
    game = models.ForeignKey(Game, on_delete=models.CASCADE, related_name="webhook_deliveries")
    url = models.CharField(max_length=500)
    event = models.CharField(max_length=32)
    attempt = models.PositiveIntegerField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    at = models.DateTimeField(auto_now_add=True)
    delivered = models.BooleanField(default=False)
    ms = models.PositiveIntegerField(default=0, help_text="how long the attempt took")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.event_id} #{self.attempt}"
