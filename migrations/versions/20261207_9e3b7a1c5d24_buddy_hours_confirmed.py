"""Buddy sessions record who confirmed the hours a buddy logged.

Revision ID: 9e3b7a1c5d24
Revises: 7c2d4e6f8a90
Create Date: 2026-12-07 15:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9e3b7a1c5d24'
down_revision = '7c2d4e6f8a90'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('buddy_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hours_confirmed_by', sa.String(length=36), nullable=True))
        batch_op.create_foreign_key('fk_buddy_session_hours_confirmed_by_user_account',
                                    'user_account', ['hours_confirmed_by'], ['id'])
    op.execute(BACKFILL)


# Sessions held whose newest log someone other than the pair's buddy wrote were logged by a
# worker or coordinator: their hours count as confirmed by that author.
BACKFILL = """
    UPDATE buddy_session SET hours_confirmed_by = (
        SELECT l.author_id FROM buddy_session_log l WHERE l.session_id = buddy_session.id
        ORDER BY l.id DESC LIMIT 1)
    WHERE status = 'done' AND (
        SELECT l.author_id FROM buddy_session_log l WHERE l.session_id = buddy_session.id
        ORDER BY l.id DESC LIMIT 1) <> (
        SELECT p.buddy_id FROM buddy_pair p WHERE p.id = buddy_session.pair_id)
"""


def downgrade():
    with op.batch_alter_table('buddy_session', schema=None) as batch_op:
        batch_op.drop_constraint('fk_buddy_session_hours_confirmed_by_user_account',
                                 type_='foreignkey')
        batch_op.drop_column('hours_confirmed_by')
