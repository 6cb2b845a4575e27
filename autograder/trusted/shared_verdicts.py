"""Remembered verdicts shared by one batch's grading workers, through a SQLite file only they can reach.

Each grading process remembers the verdicts its checks gave (autograder/trusted/planned.py); with two
workers, each would judge afresh what the other has already judged, and the answers of a class repeat
across the class, not across half of it. So a batch's workers also write each verdict here and read here
what they do not remember themselves. The file lies in a folder of the batch's own (mode 0700, made by
`batch.grade_many`), outside every sandbox: student code never reaches it. Entries are pickled by trusted
processes only, and keyed by a digest of what the check could read, as the in-process memo is.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from pathlib import Path
from typing import Any

FILE_NAME = "verdicts.sqlite"


def _key(readable: tuple[Any, ...]) -> bytes:
    """A stable digest of (check id, the digests and places of the answers it could read): plain data only."""
    return hashlib.blake2b(repr(readable).encode(), digest_size=32).digest()


class SharedVerdicts:
    """One worker's connection to the batch's shared verdicts; a failure to read or write is a miss, never an error."""

    def __init__(self, folder: Path) -> None:
        self._db = sqlite3.connect(folder / FILE_NAME, timeout=10, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")  # a cache for this batch only: lost with a crash, rebuilt by judging
        self._db.execute("CREATE TABLE IF NOT EXISTS verdict (key BLOB PRIMARY KEY, entry BLOB NOT NULL)")

    def get(self, readable: tuple[Any, ...]) -> Any | None:
        try:
            row = self._db.execute("SELECT entry FROM verdict WHERE key = ?", (_key(readable),)).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else pickle.loads(row[0])

    def put(self, readable: tuple[Any, ...], entry: Any) -> None:
        try:
            self._db.execute("INSERT OR REPLACE INTO verdict VALUES (?, ?)",
                             (_key(readable), pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)))
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self._db.close()
