"""The analysis cache: one SQLite file of entries keyed by (content, settings, briefgen code).

Entries are pickles read by an unpickler that only builds briefgen's own model types, dates and
containers, so a planted entry cannot run code. Pickle, not JSON: a cold 1,000-article build spent
about 2 s writing a thousand JSON files and their encoding, and a warm one 1 s decoding them.
An unreadable, foreign or stale entry is a miss, never a build error. Forked workers read the file
themselves but queue what they add (`take_pending`), so one process writes it in one transaction.

`to_jsonable` / `from_jsonable` stay for the JSON the build does write (its report, its stamp).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import io
import os
import pickle
import sqlite3
import tempfile
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from briefgen import __version__

CACHE_SCHEMA = 2  # bump when the storage or the shape of a cached value changes

T = TypeVar("T")


_PACKAGE = Path(__file__).resolve().parent
_ANALYSIS_CODE = ("analysis", "text", "sources", "corpus", "data")


@functools.cache
def code_fingerprint() -> str:
    """A digest of the code and data that produce a cached value, so an edited analyser never reads stale entries.

    The version alone would miss changes made between releases (an editable install, a patched copy).
    """
    digest = hashlib.sha256()
    files = [_PACKAGE / "model.py", _PACKAGE / "briefings.py"]
    for folder in _ANALYSIS_CODE:
        files.extend(sorted(p for p in (_PACKAGE / folder).rglob("*") if p.is_file() and p.suffix != ".pyc"))
    for path in files:
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_key(*parts: str | bytes) -> str:
    digest = hashlib.sha256()
    for part in (str(CACHE_SCHEMA), __version__, code_fingerprint(), *parts):
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


_PLAIN = (str, int, float, bool, type(None))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def to_jsonable(value: object) -> Any:
    """Frozen dataclasses, tuples, dates and mappings to plain JSON values (hot: every cache write)."""
    cls = type(value)
    if cls in _PLAIN:
        return value
    names = _FIELD_NAMES.get(cls)
    if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(value))
    if names is not None:
        return {name: to_jsonable(getattr(value, name)) for name in names}
    if isinstance(value, tuple | list):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


Decoder = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


@functools.cache
def decoder_for(tp: Any) -> Decoder:
    """A function turning to_jsonable output back into `tp`, built once per type (loading is hot)."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(inner) != 1:
            return _identity
        decode_inner = decoder_for(inner[0])
        return lambda v: None if v is None else decode_inner(v)
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = decoder_for(args[0])
            if item is _identity:
                return tuple
            return lambda v: tuple(item(x) for x in v)
        parts = [decoder_for(a) for a in args]
        return lambda v: tuple(f(x) for f, x in zip(parts, v, strict=True))
    if origin in (Mapping, dict) or origin is typing.get_origin(Mapping[str, object]):
        return dict
    if tp is dt.date:
        return dt.date.fromisoformat
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = [(f.name, decoder_for(hints[f.name])) for f in dataclasses.fields(tp)]
        cls = tp

        def decode(value: Any) -> Any:
            return cls(**{name: f(value[name]) for name, f in fields})

        return decode
    return _identity


def from_jsonable(tp: Any, value: Any) -> Any:
    """The inverse of to_jsonable, driven by type hints."""
    return decoder_for(tp)(value)


_SAFE_MODULES = frozenset(
    {"briefgen.model", "briefgen.briefings", "briefgen.errors", "briefgen.corpus.related"}
)
_SAFE_GLOBALS = frozenset({("datetime", "date"), ("copyreg", "__newobj__"), ("copyreg", "_reconstructor")})


class _ModelUnpickler(pickle.Unpickler):
    """Builds nothing but briefgen's data classes, dates and plain containers."""

    def find_class(self, module: str, name: str) -> Any:
        if module in _SAFE_MODULES or (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing {module}.{name} in a cache entry")


def _loads(blob: bytes) -> Any:
    return _ModelUnpickler(io.BytesIO(blob)).load()


_INHERITED: list[sqlite3.Connection] = []
_BIG_WRITE = 100  # entries in one flush worth checkpointing the write-ahead log for


class AnalysisCache:
    """Entries in `<cache_dir>/v<schema>/analysis.sqlite`: key -> pickled value."""

    def __init__(self, cache_dir: Path, *, enabled: bool = True) -> None:
        self.path = cache_dir / f"v{CACHE_SCHEMA}" / "analysis.sqlite"
        self.enabled = enabled
        self.hits = 0
        self.misses = 0
        self.pending: list[tuple[str, bytes]] = []  # added, not yet written
        self._db: sqlite3.Connection | None = None
        self._pid = 0  # the process that opened _db: a forked worker opens its own

    def _connect(self, *, create: bool) -> sqlite3.Connection | None:
        if self._db is not None:
            if self._pid == os.getpid():
                return self._db
            # Inherited through fork: closing it here could disturb the parent's use of the file
            # (SQLite forbids carrying a connection across fork), so it is kept, never used.
            _INHERITED.append(self._db)
            self._db = None
        if not create and not self.path.is_file():
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")  # a cache: losing the last write on power loss is fine
            db.execute("PRAGMA cache_size=-256")  # KiB: entries are read once; a long preview holds no more
            db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        except (OSError, sqlite3.Error):
            return None
        self._db, self._pid = db, os.getpid()
        return db

    def get(self, key: str, tp: type[T], *, count: bool = True) -> T | None:
        """The entry for key, or None; `count` adds it to the per-article hit and miss figures."""
        if not self.enabled:
            return None
        value: object = None
        db = self._connect(create=False)
        if db is not None:
            try:
                row = db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
                value = _loads(row[0]) if row else None
            except Exception:  # a damaged or foreign entry is a miss, whatever it raises
                value = None
        if not isinstance(value, tp):
            self.misses += count
            return None
        self.hits += count
        return value

    def put(self, key: str, value: object) -> None:
        """Queue an entry; `flush` writes it."""
        if self.enabled:
            self.pending.append((key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)))

    def take_pending(self) -> list[tuple[str, bytes]]:
        """The queued entries, handed over (a worker's go back to the process that writes)."""
        pending, self.pending = self.pending, []
        return pending

    def flush(self) -> None:
        """Write the queued entries in one transaction; a cache that cannot be written only costs speed."""
        pending = self.take_pending()
        if not pending:
            return
        db = self._connect(create=True)
        if db is None:
            return
        try:
            with contextlib.closing(db.cursor()) as cursor:
                cursor.execute("BEGIN IMMEDIATE")
                cursor.executemany("INSERT OR REPLACE INTO entries (key, value) VALUES (?, ?)", pending)
                cursor.execute("COMMIT")
        except sqlite3.Error:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            return
        if len(pending) >= _BIG_WRITE:
            # Fold a big write (a cold build's) into the file now and empty the log: otherwise the log
            # keeps its size on disk, and the next process to open the file scans all of it.
            with contextlib.suppress(sqlite3.Error):
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename it into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
