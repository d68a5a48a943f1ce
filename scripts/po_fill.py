"""Fills translations into Awda's catalogues: `python scripts/po_fill.py < translations.json`.

The JSON maps a language to {msgid: msgstr}. Entries that are missing or fuzzy are filled;
the script then lists what is still untranslated in each catalogue.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parent.parent / "awda" / "locale"


def main() -> None:
    wanted = json.load(sys.stdin)
    for language, strings in wanted.items():
        path = LOCALE / language / "LC_MESSAGES" / "django.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if message.id and message.id in strings:
                message.string = strings[message.id]
                message.flags.discard("fuzzy")
        with path.open("wb") as handle:
            write_po(handle, catalog, omit_header=False, no_location=True, include_previous=False)
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        print(f"{language}: {len(missing)} untranslated {missing[:5]}")


if __name__ == "__main__":
    main()
