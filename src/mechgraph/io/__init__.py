"""Readers and writers, one module per format (see ``registry``)."""

from ..exports import lazy_exports

#: the folder's public names, and the module that defines each (imported on first use)
EXPORTS = {
    "WRITERS": "registry",
    "available_formats": "registry",
    "check_exports": "exports",
    "export": "exports",
    "export_all": "exports",
    "to_frames": "frames",
}
__all__ = sorted(EXPORTS)
__getattr__, __dir__ = lazy_exports(__name__, EXPORTS)
