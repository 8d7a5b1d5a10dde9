"""An admin without a case role invites to a case role only through a second admin's approval.

Revision ID: 7c2d4e6f8a90
Revises: 4b8e0c2d9a11
Create Date: 2026-12-07 13:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2d4e6f8a90'
down_revision = '4b8e0c2d9a11'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('needs_approval', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_by', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key('fk_role_grant_requested_by_user_account', 'user_account',
                                    ['requested_by'], ['id'])
    # Earlier grants were all an admin's own request.
    op.execute("UPDATE role_grant SET requested_by = user_id")


def downgrade():
    with op.batch_alter_table('role_grant', schema=None) as batch_op:
        batch_op.drop_constraint('fk_role_grant_requested_by_user_account', type_='foreignkey')
        batch_op.drop_column('requested_by')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('needs_approval')
