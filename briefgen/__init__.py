"""briefgen: a static site generator for briefing digests.

The public API (everything else may change between releases):

- `load_config(path, *, root=None, overrides=None) -> SiteConfig`
- `build(config, *, options=None, reporter=None, session=None, changed=None) -> BuildResult`
- `BuildOptions`, `BuildResult`: what a build is asked to do, and what it did
- `analyse_text(text, *, title=None, summary_sentences=3) -> Briefing`: the build's analysis of one
  article given as plain text
- `BriefgenError` and its subclasses (see `briefgen.errors`)

Names are imported on first use, so `import briefgen` stays cheap for the JSON-lines commands.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "BriefgenError",
    "BuildOptions",
    "BuildResult",
    "__version__",
    "analyse_text",
    "build",
    "load_config",
]

_WHERE = {
    "BriefgenError": "briefgen.errors",
    "BuildOptions": "briefgen.pipeline",
    "BuildResult": "briefgen.pipeline",
    "analyse_text": "briefgen.pipeline.analyse",
    "build": "briefgen.pipeline",
    "load_config": "briefgen.config",
}

if TYPE_CHECKING:
    from briefgen.config import load_config
    from briefgen.errors import BriefgenError
    from briefgen.pipeline import BuildOptions, BuildResult, build
    from briefgen.pipeline.analyse import analyse_text


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'briefgen' has no attribute {name!r}")
