"""People are found by name without reading the municipality: the picker and the name match.

Revision ID: d41f7b2e9c30
Revises: 9e3b7a1c5d24
Create Date: 2026-12-07 16:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd41f7b2e9c30'
down_revision = '9e3b7a1c5d24'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_person_municipality_name', 'person', ['municipality_id', 'display_name'])
    if op.get_bind().dialect.name == 'postgresql':
        # name ILIKE '%word%' (server.people.queries.name_contains) is served by trigrams only.
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.create_index('ix_person_name_trigram', 'person', ['display_name'],
                        postgresql_using='gin', postgresql_ops={'display_name': 'gin_trgm_ops'})
    else:
        op.create_index('ix_person_name_trigram', 'person', ['display_name'])


def downgrade():
    op.drop_index('ix_person_name_trigram', table_name='person')
    op.drop_index('ix_person_municipality_name', table_name='person')
