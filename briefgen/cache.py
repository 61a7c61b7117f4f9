"""The analysis cache: one JSON file per (content, settings, briefgen version), written atomically.

JSON, not pickle: entries survive upgrades (a schema bump makes them misses) and load no code.
An unreadable or stale entry is a miss, never a build error.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import hashlib
import json
import os
import tempfile
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from briefgen import __version__

CACHE_SCHEMA = 1  # bump when the JSON shape of Briefing or the analysis code's output changes

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


class AnalysisCache:
    """Content-addressed JSON entries under `<cache_dir>/v<schema>/analysis/<2 hex>/<key>.json`."""

    def __init__(self, cache_dir: Path, *, enabled: bool = True) -> None:
        self.root = cache_dir / f"v{CACHE_SCHEMA}" / "analysis"
        self.enabled = enabled
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str, tp: type[T], *, count: bool = True) -> T | None:
        """The entry for key, or None; `count` adds it to the per-article hit and miss figures."""
        if not self.enabled:
            return None
        try:
            with self._path(key).open(encoding="utf-8") as fh:
                value: T = from_jsonable(tp, json.load(fh))
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += count
            return None
        self.hits += count
        return value

    def put(self, key: str, value: object) -> None:
        if not self.enabled:
            return
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, json.dumps(to_jsonable(value), ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass  # a cache that cannot be written only costs speed next time


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
