"""Open and overdue referrals are counted from the follow-up index alone: it holds the status.

Revision ID: f2b9d4a6c815
Revises: e83a5c1f0b47
Create Date: 2026-12-07 16:40:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f2b9d4a6c815'
down_revision = 'e83a5c1f0b47'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_referral_municipality_due', table_name='referral')
    op.create_index('ix_referral_municipality_due', 'referral',
                    ['municipality_id', 'follow_up_due', 'id', 'status'])


def downgrade():
    op.drop_index('ix_referral_municipality_due', table_name='referral')
    op.create_index('ix_referral_municipality_due', 'referral',
                    ['municipality_id', 'follow_up_due', 'id'])
