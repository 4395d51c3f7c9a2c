"""users get a NOT NULL country; an admin user

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("country", sa.String(60), nullable=False, server_default="unknown"))
    op.seed_rows("users", [{"email": "admin@example.com", "full_name": "Site Admin"}])


def downgrade() -> None:
    op.execute("DELETE FROM users WHERE email = 'admin@example.com'")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("country")
