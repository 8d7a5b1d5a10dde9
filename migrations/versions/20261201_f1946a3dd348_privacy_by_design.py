"""Privacy by design: how consent was given and its withdrawal, grants to open a person outside
one's scope, reasons in the audit trail, which PostgreSQL keeps append-only.

Revision ID: f1946a3dd348
Revises: 3f9a6c2d1b84
Create Date: 2026-12-01 00:20:46

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f1946a3dd348'
down_revision = '3f9a6c2d1b84'
branch_labels = None
depends_on = None

# The audit trail is append-only for every client of the database, not only for the app: an
# UPDATE is always refused; a DELETE only in a transaction where retention's purge set
# handvast.audit_purge (server/audit purge, `flask privacy retention`).
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('handvast.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only';
END
$$ LANGUAGE plpgsql
"""


def upgrade():
    op.create_table('access_grant',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('municipality_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('granted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_access_grant_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_access_grant_person_id_person')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_access_grant_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_grant'))
    )
    with op.batch_alter_table('access_grant', schema=None) as batch_op:
        batch_op.create_index('ix_access_grant_user_person', ['user_id', 'person_id'], unique=False)

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=300), nullable=True))
        batch_op.create_index('ix_audit_event_municipality_at', ['municipality_id', 'at'], unique=False)
        batch_op.create_index('ix_audit_event_object', ['object_id'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_method', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('consent_withdrawn_on', sa.Date(), nullable=True))

    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY)
        op.execute("CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
                   "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()")


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('consent_withdrawn_on')
        batch_op.drop_column('consent_method')

    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_object')
        batch_op.drop_index('ix_audit_event_municipality_at')
        batch_op.drop_column('reason')

    with op.batch_alter_table('access_grant', schema=None) as batch_op:
        batch_op.drop_index('ix_access_grant_user_person')

    op.drop_table('access_grant')
