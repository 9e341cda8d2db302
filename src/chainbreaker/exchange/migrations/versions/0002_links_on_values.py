"""Links on shared values: exact-value links are no longer stored (they are read from the
indicators sharing a key), party-name links are stored once (new incident -> earlier one);
name words indexed with their indicator (the newest holders of a word without a sort).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 09:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # (kind, key, incident_id): the holders of a value found and counted from the index alone
    op.drop_index("ix_indicators_kind_key", table_name="indicators")
    op.create_index("ix_indicators_kind_key_incident", "indicators", ["kind", "key", "incident_id"])
    # (token, indicator_id): the newest holders of a word of a name, from the index alone
    op.drop_index("ix_name_tokens_token", table_name="name_tokens")
    op.create_index("ix_name_tokens_token_indicator", "name_tokens", ["token", "indicator_id"])
    # exact-value links are read from the indicators now; name links were stored both ways:
    # the direction from the newer incident to the earlier one is kept
    op.execute(sa.text("DELETE FROM correlations WHERE kind <> 'name'"))
    op.execute(sa.text("DELETE FROM correlations WHERE incident_id < related_id"))


def downgrade() -> None:
    # the exact-value links are not rebuilt: a downgrade shows name links only (one way)
    op.drop_index("ix_name_tokens_token_indicator", table_name="name_tokens")
    op.create_index("ix_name_tokens_token", "name_tokens", ["token"])
    op.drop_index("ix_indicators_kind_key_incident", table_name="indicators")
    op.create_index("ix_indicators_kind_key", "indicators", ["kind", "key"])
