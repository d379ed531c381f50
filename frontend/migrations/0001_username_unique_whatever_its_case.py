"""One account per username whatever its case: the database's rule behind register_user's check,
so two concurrent sign-ups of `alice` and `ALICE` cannot both succeed."""
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]

    operations = [
        migrations.RunSQL(
            "CREATE UNIQUE INDEX frontend_auth_user_username_ci ON auth_user (UPPER(username))",
            reverse_sql="DROP INDEX frontend_auth_user_username_ci",
        ),
    ]
