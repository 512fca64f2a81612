"""Readers and writers, one module per format (see ``registry``)."""

from ..exports import lazy_exports
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for type checkers; at run time each name is imported on first use (EXPORTS)
    from .exports import check_exports as check_exports, export as export, export_all as export_all
    from .frames import to_frames as to_frames
    from .registry import WRITERS as WRITERS, available_formats as available_formats

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
