"""Regenerates awda/geo/data/countries.csv: ISO 3166-1 codes from pycountry, names from CLDR (Babel).

Run it when pycountry or Babel publish a new version: `python scripts/build_countries.py`.
"""

import csv
from pathlib import Path

import pycountry
from babel import Locale

OUT = Path(__file__).resolve().parent.parent / "awda" / "geo" / "data" / "countries.csv"


def main() -> None:
    names = {code: Locale.parse(code).territories for code in ("ar", "ckb", "en")}
    rows = []
    for country in pycountry.countries:
        alpha2 = country.alpha_2
        rows.append(
            {
                "iso2": alpha2,
                "iso3": country.alpha_3,
                "numeric": country.numeric,
                "name_en": names["en"].get(alpha2, country.name),
                "name_ar": names["ar"].get(alpha2, ""),
                "name_ckb": names["ckb"].get(alpha2, ""),
            }
        )
    rows.sort(key=lambda row: row["iso2"])
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    missing = [r["iso2"] for r in rows if not (r["name_ar"] and r["name_ckb"])]
    print(f"{len(rows)} countries written to {OUT}; missing a name: {missing}")


if __name__ == "__main__":
    main()
