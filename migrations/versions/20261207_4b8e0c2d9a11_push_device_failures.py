"""Push devices count the rounds in a row their push service could not be reached.

Revision ID: 4b8e0c2d9a11
Revises: c5a3509a872d
Create Date: 2026-12-07 13:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4b8e0c2d9a11'
down_revision = 'c5a3509a872d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('push_subscription', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failures', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('push_subscription', schema=None) as batch_op:
        batch_op.drop_column('failures')
