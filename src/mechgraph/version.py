"""The package version, apart from ``mechgraph/__init__`` so that any module can read it
without importing the library's entry point (which imports nearly everything)."""

__version__ = "0.1.0"
