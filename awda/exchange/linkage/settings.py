"""The settings a linkage run is tuned with: light, so that forms and pages need not load the engine."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LinkageSettings:
    """What a linkage run may be tuned with; the defaults are those measured in docs/decisions/0013."""

    match_threshold: float = 0.9
    """Pairs at or above this match probability are the same person (and form clusters)."""
    review_threshold: float = 0.3
    """Pairs from here up to the match threshold go to a person for review."""
    training_sample: int = 250_000
    """At most this many records per side are used to estimate the parameters."""
    u_max_pairs: float = 1e7
    """Random pairs drawn to estimate the u probabilities (how often non-matches agree)."""
    seed: int = 7
    memory_limit: str | None = "4GB"
    """DuckDB's memory limit; beyond it DuckDB spills to ``temp_directory``."""
    temp_directory: str | None = None
    threads: int | None = None
    records_per_chunk: int = 250_000
    """Scoring is done in chunks of about this many records per side, to bound memory."""

    def __post_init__(self) -> None:
        if not 0 < self.review_threshold <= self.match_threshold <= 1:
            raise ValueError("Thresholds must satisfy 0 < review_threshold <= match_threshold <= 1.")
