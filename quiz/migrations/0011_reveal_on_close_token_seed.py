# Issue 15: the default reveal is on_close (scores move at each close), and
# a game's token seed (its tokens can be given to its owner again).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0010_player_nickname_graphemes"),
    ]

    operations = [
        migrations.AddField(
            model_name="game",
            name="token_seed",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AlterField(
            model_name="game",
            name="reveal",
            field=models.CharField(
                choices=[("live", "Live"), ("on_close", "On Close")],
                default="on_close",
                max_length=10,
            ),
        ),
    ]
