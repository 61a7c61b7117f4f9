"""briefgen: a static site generator for briefing digests."""

__version__ = "0.1.0"

__all__ = ["__version__"]
