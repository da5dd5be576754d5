"""The Markdown articles are now pages (0003 moved them): drop the old table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_articles_to_pages")]

    operations = [
        migrations.DeleteModel(
            name="Article",
        ),
    ]
