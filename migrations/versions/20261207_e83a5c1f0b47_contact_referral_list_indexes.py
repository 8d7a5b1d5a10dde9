"""A coordinator's weekly contact counts and open referrals read from indexes, a page at a time.

Revision ID: e83a5c1f0b47
Revises: d41f7b2e9c30
Create Date: 2026-12-07 16:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e83a5c1f0b47'
down_revision = 'd41f7b2e9c30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_contact_municipality_occurred', 'contact', ['municipality_id', 'occurred_at'])
    op.create_index('ix_referral_municipality_due', 'referral',
                    ['municipality_id', 'follow_up_due', 'id'])


def downgrade():
    op.drop_index('ix_referral_municipality_due', table_name='referral')
    op.drop_index('ix_contact_municipality_occurred', table_name='contact')
