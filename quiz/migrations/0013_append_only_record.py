# Issue 17, point 5: the append-only record (docs/persistence.md). Answers
# carry the stats version they led to and, on a player's last scoring answer
# of a flush, its reached_ms; the game keeps the answer log's position (in the
# answers' transaction: exactly once) and the one its Score rows were last
# materialized at. Answers lose their own player index (the unique
# (player, question) index serves it).
#
# Upgrade with no game live: a game flushed by the earlier flusher has its
# answers in PostgreSQL and an empty position, so the new flusher would read
# its log from the start again (docs/operations.md, "Upgrading").

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0012_brand"),
    ]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="reached_ms",
            field=models.BigIntegerField(blank=True, default=None, null=True),
        ),
        migrations.AddField(
            model_name="answer",
            name="version",
            field=models.PositiveIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="game",
            name="log_pos",
            field=models.CharField(blank=True, db_default="", default="", max_length=40),
        ),
        migrations.AddField(
            model_name="game",
            name="scored_pos",
            field=models.CharField(blank=True, db_default="", default="", max_length=40),
        ),
        migrations.AlterField(
            model_name="answer",
            name="player",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="answers",
                to="quiz.player",
            ),
        ),
    ]
