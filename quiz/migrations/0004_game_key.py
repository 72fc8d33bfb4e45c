import secrets

from django.db import migrations, models

import quiz.models


def fill_keys(apps, schema_editor):
    Game = apps.get_model("quiz", "Game")
    for game in Game.objects.filter(key__isnull=True):
        game.key = secrets.token_hex(6)
        game.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [("quiz", "0003_flush_state")]

    operations = [
        migrations.AddField(
            model_name="game",
            name="key",
            field=models.CharField(max_length=32, null=True, editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="game",
            name="key",
            field=models.CharField(
                default=quiz.models.new_game_key, editable=False, max_length=32, unique=True
            ),
        ),
    ]
