"""The item catalogue, in SQLite. `load_items` issues one query per item: the N+1 the demo incident finds."""

import logging
import os
import sqlite3
import threading

from .telemetry import traced

_lock = threading.Lock()
logger = logging.getLogger(__name__)
# Shipped with release 2026.11.29 behind a flag: a pinned id that is gone no longer fails the request.
FALLBACK_MISSING = os.environ.get("CATALOGUE_FALLBACK") == "1"


def connection(size=2000):
    with _lock:  # one in-memory catalogue for every request thread (SQLite is built serialized: threadsafety 3)
        if getattr(connection, "conn", None) is None:
            conn = sqlite3.connect(":memory:", check_same_thread=False)
            conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT, embedding TEXT)")
            conn.executemany(
                "INSERT INTO items VALUES (?, ?, ?)",
                ((i, f"item-{i}", ",".join(str(((i * 7 + k * 13) % 97) / 97) for k in range(16))) for i in range(size)),
            )
            connection.conn = conn
    return connection.conn


@traced
def candidate_ids(user_id, limit=200):
    rows = connection().cursor().execute("SELECT id FROM items WHERE id % 7 = ? LIMIT ?", (user_id % 7, limit))
    return [row[0] for row in rows]


@traced
def load_items(ids):
    items = []
    for item_id in ids:
        row = connection().cursor().execute("SELECT id, name, embedding FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None and FALLBACK_MISSING:
            logger.warning("item %s is not in the catalogue, falling back to the candidate list", item_id)
            continue
        items.append({"id": row[0], "name": row[1], "embedding": [float(x) for x in row[2].split(",")]})
    logger.info("loaded %d items with one query each", len(items))
    return items
