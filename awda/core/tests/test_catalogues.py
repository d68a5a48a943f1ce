"""Message catalogues compile with Python alone, and every UI string is translated."""

from __future__ import annotations

import gettext
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from awda.build import compile_catalogues

LOCALE = Path(__file__).resolve().parents[2] / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")


def test_catalogues_compile_without_system_gettext(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")  # no msgfmt can be found
    target = tmp_path / "awda" / "locale"
    shutil.copytree(LOCALE, target, ignore=shutil.ignore_patterns("*.mo"))
    written = compile_catalogues(tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "awda/locale/ar/LC_MESSAGES/django.mo",
        "awda/locale/ckb/LC_MESSAGES/django.mo",
    ]
    arabic = gettext.GNUTranslations((target / "ar/LC_MESSAGES/django.mo").open("rb"))
    assert arabic.gettext("Sign in") == "تسجيل الدخول"


@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_every_message_is_translated_with_the_same_placeholders(language: str) -> None:
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(("untranslated", ids[0]))
            continue
        expected = set(PLACEHOLDER.findall(str(ids[-1])))
        for string in strings:
            found = set(PLACEHOLDER.findall(str(string)))
            if found - expected or (len(strings) == 1 and found != expected):
                problems.append(("placeholders", ids[0]))
    assert problems == []
