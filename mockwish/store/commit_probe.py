"""A cheap first look at whether anybody committed to a WAL database: the WAL-index header.

Every request asks whether another process (`mockwish generate`, `mockwish seed` beside a running server)
committed since the last one. `PRAGMA data_version` answers exactly, but it opens a read transaction on the
way, about 7 µs: 12 % of a cached product read, whose answer needs no other statement. In WAL mode, every
commit by any connection rewrites the WAL-index header at the start of the `-shm` file (two 48-byte copies,
whose change counter `iChange` grows with each write transaction; https://www.sqlite.org/walformat.html,
"The WAL-Index Header"). Reading those 96 bytes is one pread: when they are what they were at the last look,
nobody committed and the PRAGMA is skipped; when they changed (our own commit or another's), the PRAGMA says
which. Reads and checkpoints leave the header alone (they write the read marks and nBackfill, after it).

pread, not mmap: a mapping of a file that shrank faults the process, a read of it only comes back short. The
probe's file is the one SQLite itself keeps open for the connection it was opened for (a live connection
holds the shared lock that stops anybody truncating or deleting it); for another connection object it is
opened again. Anything it cannot read (an in-memory or temporary database, another journal mode, a short
read) answers None, and the caller asks the PRAGMA as before."""

from __future__ import annotations

import os
import sqlite3
import weakref

HEADER_BYTES = 96  # the two copies of the WAL-index header


class CommitProbe:
    def __init__(self) -> None:
        self._raw: sqlite3.Connection | None = None  # held, so that `is` cannot match a new object at its address
        self._fd: int | None = None
        self._closer: weakref.finalize[[int], CommitProbe] | None = None

    def header(self, raw: sqlite3.Connection) -> bytes | None:
        """The WAL-index header as it is now, or None when this database has none to read."""
        if raw is not self._raw:
            self._open(raw)
        if self._fd is None:
            return None
        try:
            data = os.pread(self._fd, HEADER_BYTES, 0)
        except OSError:
            return None
        return data if len(data) == HEADER_BYTES else None

    def close(self) -> None:
        if self._closer is not None:
            self._closer()  # closes the fd once, whoever calls first (this or the garbage collector)
        self._fd = self._closer = None

    def _open(self, raw: sqlite3.Connection) -> None:
        self.close()
        self._raw = raw
        try:
            mode = raw.execute("PRAGMA journal_mode").fetchone()[0]
            path = next((row[2] for row in raw.execute("PRAGMA database_list") if row[1] == "main"), "")
            if str(mode).lower() != "wal" or not path:
                return
            fd = os.open(f"{path}-shm", os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        except (OSError, sqlite3.Error):
            return
        self._fd = fd
        self._closer = weakref.finalize(self, os.close, fd)
