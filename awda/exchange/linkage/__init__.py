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

from .dates import DateOfBirth, dob_agreement, parse_date_of_birth
from .engine import (
    ComparisonExplanation,
    LinkageResult,
    LinkageSettings,
    ProgressCallback,
    ScoredPair,
    dedupe_records,
    link_records,
)
from .features import (
    INPUT_COLUMNS,
    NameParts,
    feature_frame,
    governorate_pcode,
    normalise_sex,
    split_full_name,
)

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
