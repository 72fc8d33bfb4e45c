# The default reveal is on_close (issue 15): scores move at each close.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quiz", "0008_webhooks"),
    ]

    operations = [
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
