"""The local hub database: schema, migrations, reads, the default hub, and ORM writes.

Never imports Textual. `models` and `orm` import SQLAlchemy, so they are loaded only when needed.
"""

from nexus_tui.store.database import Store, StoreError

__all__ = ["Store", "StoreError"]
