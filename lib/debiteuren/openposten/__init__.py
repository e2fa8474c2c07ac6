"""Importing open-item lists ("openstaande posten debiteuren") from Dutch accounting packages.

A package is described by a mapping file (``mappings/<name>.toml``), not by
code: ``load_mapping("exact_online")`` reads one, ``plan_import`` compares an
export with the register and ``import_openposten`` (optionally) appends the new
debtors and invoices. See README.md in this folder.
"""

from __future__ import annotations

from .importer import (
    Difference,
    ImportPlan,
    OpenItem,
    OpenpostenError,
    OpenpostenImport,
    SkippedRow,
    import_openposten,
    plan_import,
    read_export,
    read_export_rows,
)
from .mappings import FIELDS, Mapping, MappingError, available_mappings, load_mapping

__all__ = [
    "FIELDS",
    "Difference",
    "ImportPlan",
    "Mapping",
    "MappingError",
    "OpenItem",
    "OpenpostenError",
    "OpenpostenImport",
    "SkippedRow",
    "available_mappings",
    "import_openposten",
    "load_mapping",
    "plan_import",
    "read_export",
    "read_export_rows",
]
