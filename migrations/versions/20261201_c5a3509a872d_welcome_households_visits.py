"""Welcome: households from the register's list, welcome visits, imports, streets, info pack.

Revision ID: c5a3509a872d
Revises: f620516bb195
Create Date: 2026-12-01 00:19:55.780056

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c5a3509a872d'
down_revision = 'f620516bb195'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('pack_item',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('municipality_id', sa.String(length=36), nullable=False),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_pack_item_municipality_id_municipality')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pack_item'))
    )
    with op.batch_alter_table('pack_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pack_item_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('welcome_import',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('municipality_id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('rows_with_problems', sa.Integer(), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('already_known', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_welcome_import_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_welcome_import_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_welcome_import'))
    )
    with op.batch_alter_table('welcome_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_welcome_import_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('welcome_mapping',
    sa.Column('municipality_id', sa.String(length=36), nullable=False),
    sa.Column('columns', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_welcome_mapping_municipality_id_municipality')),
    sa.PrimaryKeyConstraint('municipality_id', name=op.f('pk_welcome_mapping'))
    )
    op.create_table('street_neighbourhood',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('municipality_id', sa.String(length=36), nullable=False),
    sa.Column('street_key', sa.String(length=120), nullable=False),
    sa.Column('street', sa.String(length=120), nullable=False),
    sa.Column('neighbourhood_id', sa.String(length=36), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_street_neighbourhood_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_street_neighbourhood_neighbourhood_id_neighbourhood')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_street_neighbourhood')),
    sa.UniqueConstraint('municipality_id', 'street_key', name=op.f('uq_street_neighbourhood_municipality_id'))
    )
    with op.batch_alter_table('street_neighbourhood', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_street_neighbourhood_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('welcome_import_row',
    sa.Column('import_id', sa.String(length=36), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('household_key', sa.String(length=64), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['welcome_import.id'], name=op.f('fk_welcome_import_row_import_id_welcome_import')),
    sa.PrimaryKeyConstraint('import_id', 'row_number', name=op.f('pk_welcome_import_row'))
    )
    with op.batch_alter_table('welcome_import_row', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_welcome_import_row_household_key'), ['household_key'], unique=False)

    op.create_table('household',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('municipality_id', sa.String(length=36), nullable=False),
    sa.Column('household_key', sa.String(length=64), nullable=True),
    sa.Column('names', sa.String(length=200), nullable=False),
    sa.Column('street', sa.String(length=120), nullable=False),
    sa.Column('street_key', sa.String(length=120), nullable=False),
    sa.Column('house_number', sa.String(length=20), nullable=False),
    sa.Column('postcode', sa.String(length=10), nullable=False),
    sa.Column('registered_on', sa.Date(), nullable=False),
    sa.Column('household_size', sa.Integer(), nullable=True),
    sa.Column('age_bands', sa.JSON(), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('neighbourhood_id', sa.String(length=36), nullable=True),
    sa.Column('assigned_team_id', sa.String(length=36), nullable=True),
    sa.Column('assigned_user_id', sa.String(length=36), nullable=True),
    sa.Column('target_on', sa.Date(), nullable=True),
    sa.Column('approach', sa.String(length=24), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('welcomed_on', sa.Date(), nullable=True),
    sa.Column('agrees_to_contact', sa.Boolean(), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=True),
    sa.Column('referral_id', sa.String(length=36), nullable=True),
    sa.Column('import_id', sa.String(length=36), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('forgotten_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['assigned_team_id'], ['team.id'], name=op.f('fk_household_assigned_team_id_team')),
    sa.ForeignKeyConstraint(['assigned_user_id'], ['user_account.id'], name=op.f('fk_household_assigned_user_id_user_account')),
    sa.ForeignKeyConstraint(['import_id'], ['welcome_import.id'], name=op.f('fk_household_import_id_welcome_import')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_household_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['neighbourhood_id'], ['neighbourhood.id'], name=op.f('fk_household_neighbourhood_id_neighbourhood')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_household_person_id_person')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_household_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_household')),
    sa.UniqueConstraint('municipality_id', 'household_key', name=op.f('uq_household_municipality_id'))
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_assigned_team_id'), ['assigned_team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_assigned_user_id'), ['assigned_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_registered_on'), ['registered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_street_key'), ['street_key'], unique=False)

    op.create_table('welcome_visit',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('municipality_id', sa.String(length=36), nullable=False),
    sa.Column('household_id', sa.String(length=36), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('pack_language', sa.String(length=16), nullable=True),
    sa.Column('info_pack_items', sa.JSON(), nullable=False),
    sa.Column('domains', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('agrees_to_contact', sa.Boolean(), nullable=False),
    sa.Column('buddy_wish', sa.Boolean(), nullable=False),
    sa.Column('referral_id', sa.String(length=36), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_welcome_visit_author_id_user_account')),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_welcome_visit_household_id_household')),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_welcome_visit_municipality_id_municipality')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_welcome_visit_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_welcome_visit'))
    )
    with op.batch_alter_table('welcome_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_welcome_visit_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_welcome_visit_household_id'), ['household_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_welcome_visit_municipality_id'), ['municipality_id'], unique=False)




def downgrade():

    with op.batch_alter_table('welcome_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_welcome_visit_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_welcome_visit_household_id'))
        batch_op.drop_index(batch_op.f('ix_welcome_visit_author_id'))

    op.drop_table('welcome_visit')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_street_key'))
        batch_op.drop_index(batch_op.f('ix_household_registered_on'))
        batch_op.drop_index(batch_op.f('ix_household_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_household_assigned_user_id'))
        batch_op.drop_index(batch_op.f('ix_household_assigned_team_id'))

    op.drop_table('household')
    with op.batch_alter_table('welcome_import_row', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_welcome_import_row_household_key'))

    op.drop_table('welcome_import_row')
    with op.batch_alter_table('street_neighbourhood', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_street_neighbourhood_municipality_id'))

    op.drop_table('street_neighbourhood')
    op.drop_table('welcome_mapping')
    with op.batch_alter_table('welcome_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_welcome_import_municipality_id'))

    op.drop_table('welcome_import')
    with op.batch_alter_table('pack_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pack_item_municipality_id'))

    op.drop_table('pack_item')

