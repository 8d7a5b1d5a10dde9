"""Role grants: an admin's request for a case role for itself, waiting for a second admin.

Revision ID: b7c2d91e4f05
Revises: 5d2c81e0b7a4
Create Date: 2026-11-30 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c2d91e4f05'
down_revision = '5d2c81e0b7a4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('role_grant',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('municipality_id', sa.String(length=36), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('approved_by', sa.String(length=36), nullable=True),
    sa.Column('approved_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['approved_by'], ['user_account.id'], name=op.f('fk_role_grant_approved_by_user_account')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_role_grant_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_role_grant_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grant'))
    )
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_grant_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_grant_user_id'))
    op.drop_table('role_grant')
