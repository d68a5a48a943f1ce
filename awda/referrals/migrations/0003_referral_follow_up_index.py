"""An index for the follow-ups due in a receiver's inbox (benchmarked in bench/referrals.py).

The inbox page lists the follow-ups due (``follow_up_on`` today or earlier) of the receiving
institution; without an index PostgreSQL read every referral the institution ever received (25,000 at
the benchmark's biggest provider: 30-40 ms a page). Few referrals have a follow-up date, so a partial
index on those is small. Plain SQL that PostgreSQL and SQLite both understand; it is not declared in
``Referral.Meta.indexes``, so the model state is unchanged.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_default_response_rules")]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX referral_follow_up_idx ON referrals_referral (to_institution_id, follow_up_on) "
                "WHERE follow_up_on IS NOT NULL"
            ),
            reverse_sql="DROP INDEX referral_follow_up_idx",
        )
    ]
