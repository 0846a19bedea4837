"""``.gbai`` packages, in one place: reading them from disk (``files``: no database) and turning
them into bots (``services``: load, reload, upload; re-exported by ``generalbots.bots.services``
with the app's other writes)."""

from generalbots.bots.packages.files import (
    DATA_FOLDERS,
    SUFFIX,
    Dialog,
    Package,
    Problem,
    discover,
    package_name,
    package_name_problem,
    package_roots,
    read_config,
    read_dialogs,
    read_knowledge_bases,
    read_package,
    read_theme_css,
    version_hash,
)

__all__ = ["DATA_FOLDERS", "SUFFIX", "Dialog", "Package", "Problem", "discover", "package_name",
           "package_name_problem", "package_roots", "read_config", "read_dialogs", "read_knowledge_bases",
           "read_package", "read_theme_css", "version_hash"]
