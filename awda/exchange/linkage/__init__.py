"""Record linkage of person records (Arabic or Latin script) with Splink and DuckDB: link two sources, dedupe one.

Fellegi–Sunter: for each pair of candidate records, every comparison (given, father's and
grandfather's names, family name, mother's name, date of birth, sex, governorate, phone, national
ID) lands in a level, and each level adds its match weight, estimated from the data itself (u by
random sampling, m by expectation maximisation, no labels). Names are compared through the keys of
:mod:`awda.registry.names`, so محمد and Mohammed agree. Pairs at or above ``match_threshold`` are
matches, those between ``review_threshold`` and it go to a person; see docs/decisions/0013.

Pure: no Django, no database. Typical use::

    result = link_records(left_rows, right_rows, settings=LinkageSettings(match_threshold=0.9))
    for pair in result.matches(): ...
    for pair in result.for_review(): ...
"""

from typing import TYPE_CHECKING, Any

from .dates import DateOfBirth, dob_agreement, parse_date_of_birth
from .features import INPUT_COLUMNS, NameParts, governorate_pcode, normalise_sex, split_full_name
from .settings import LinkageSettings

if TYPE_CHECKING:
    from .engine import (
        ComparisonExplanation,
        LinkageResult,
        ProgressCallback,
        ScoredPair,
        dedupe_records,
        link_records,
    )
    from .features import feature_frame

# The engine (pandas, DuckDB, Splink: about 100 MB) loads on first use, in the worker or the command,
# never in a web process that only needs the settings or the pure helpers.
_LAZY = {
    "ComparisonExplanation": "engine",
    "LinkageResult": "engine",
    "ProgressCallback": "engine",
    "ScoredPair": "engine",
    "dedupe_records": "engine",
    "link_records": "engine",
    "feature_frame": "features",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "INPUT_COLUMNS",
    "ComparisonExplanation",
    "DateOfBirth",
    "LinkageResult",
    "LinkageSettings",
    "NameParts",
    "ProgressCallback",
    "ScoredPair",
    "dedupe_records",
    "dob_agreement",
    "feature_frame",
    "governorate_pcode",
    "link_records",
    "normalise_sex",
    "parse_date_of_birth",
    "split_full_name",
]
