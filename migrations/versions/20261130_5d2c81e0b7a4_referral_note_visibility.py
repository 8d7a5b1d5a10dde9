"""Referral and referral-step notes get a visibility (team, private, sensitive), like contacts.

Revision ID: 5d2c81e0b7a4
Revises: a43e0177a639
Create Date: 2026-11-30 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d2c81e0b7a4'
down_revision = 'a43e0177a639'
branch_labels = None
depends_on = None


def upgrade():
    # Existing notes keep the meaning they had: shared with the team.
    for table in ('referral', 'referral_step'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('note_visibility', sa.String(length=16),
                                          server_default='team', nullable=False))


def downgrade():
    for table in ('referral_step', 'referral'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('note_visibility')
