"""Re-estimate default_parameters.json: `python -m awda.exchange.linkage.defaults LEFT.csv RIGHT.csv`.

The engine uses these parameters only when a run has too few records (engine.MIN_TRAINING_RECORDS) to
estimate its own. They are estimated the way every run estimates its parameters, without labels: a
link of LEFT against RIGHT and a dedupe of LEFT. Awda's file was made from the synthetic development
set (registry_a.csv, registry_b.csv); a ministry can make its own from a large run of its registers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from .engine import _DEFAULTS, LinkageSettings, _train, parameters_of
from .features import feature_frame


def estimate(left: pd.DataFrame, right: pd.DataFrame) -> dict[str, object]:
    settings = LinkageSettings()
    frames = [feature_frame(left), feature_frame(right)]
    frames[0]["source_dataset"], frames[1]["source_dataset"] = "left", "right"
    link = _train(frames, "link_only", settings, None)
    dedupe = _train([feature_frame(left)], "dedupe_only", settings, None)
    return {
        "prior": {
            "link_only": link["probability_two_random_records_match"],
            "dedupe_only": dedupe["probability_two_random_records_match"],
        },
        # The sizes the priors were estimated at: a run of other sizes scales them (engine._scaled_prior).
        "sizes": {"link_only": [len(left), len(right)], "dedupe_only": [len(left)]},
        "levels": parameters_of(link),
    }


def main(argv: list[str]) -> None:
    left, right = (pd.read_csv(Path(a), dtype=str, keep_default_na=False) for a in argv[:2])
    _DEFAULTS.write_text(json.dumps(estimate(left, right), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {_DEFAULTS}")


if __name__ == "__main__":
    main(sys.argv[1:])
