"""Administration: municipalities and neighbourhoods can be deactivated; an invitation may
name the team the invited user joins.

Revision ID: 3f9a6c2d1b84
Revises: 3f6a1c9d2b70
Create Date: 2026-12-01 00:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f9a6c2d1b84'
down_revision = '3f6a1c9d2b70'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
    with op.batch_alter_table('neighbourhood', schema=None) as batch_op:
        batch_op.add_column(sa.Column('active', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key('fk_invitation_team_id_team', 'team', ['team_id'], ['id'])


def downgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint('fk_invitation_team_id_team', type_='foreignkey')
        batch_op.drop_column('team_id')
    with op.batch_alter_table('neighbourhood', schema=None) as batch_op:
        batch_op.drop_column('active')
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_column('active')
