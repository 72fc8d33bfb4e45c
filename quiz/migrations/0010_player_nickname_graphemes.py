# Nicknames are limited to 20 graphemes (quiz/nicknames.py); emoji sequences
# take several code points each, so the column holds up to 100.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0009_game_names"),
    ]

    operations = [
        migrations.AlterField(
            model_name="player",
            name="nickname",
            field=models.CharField(max_length=100),
        ),
    ]
