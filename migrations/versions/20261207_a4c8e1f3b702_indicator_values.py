"""Precomputed indicator figures per municipality, period, neighbourhood and breakdown.

Revision ID: a4c8e1f3b702
Revises: f2b9d4a6c815
Create Date: 2026-12-07 16:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a4c8e1f3b702'
down_revision = 'f2b9d4a6c815'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'indicator_value',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True,
                  nullable=False),
        sa.Column('municipality_id', sa.String(length=36), nullable=False),
        sa.Column('period', sa.String(length=7), nullable=False),
        sa.Column('indicator', sa.String(length=40), nullable=False),
        sa.Column('neighbourhood', sa.String(length=36), nullable=False),
        sa.Column('breakdown', sa.String(length=40), nullable=False),
        sa.Column('numerator', sa.Integer(), nullable=False),
        sa.Column('denominator', sa.Integer(), nullable=True),
        sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'],
                                name='fk_indicator_value_municipality_id_municipality'),
        sa.PrimaryKeyConstraint('id', name='pk_indicator_value'),
        sa.UniqueConstraint('municipality_id', 'period', 'indicator', 'neighbourhood',
                            'breakdown', name='uq_indicator_value_cell'),
    )
    op.create_index('ix_indicator_value_period', 'indicator_value',
                    ['municipality_id', 'period'])


def downgrade():
    op.drop_index('ix_indicator_value_period', table_name='indicator_value')
    op.drop_table('indicator_value')
