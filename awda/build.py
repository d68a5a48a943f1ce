"""Compiles the gettext catalogues with Babel, so that installing Awda needs no system gettext."""

from __future__ import annotations

from pathlib import Path

from setuptools.command.build_py import build_py


def compile_catalogues(root: Path) -> list[Path]:
    """Compile every ``locale/<lang>/LC_MESSAGES/*.po`` under ``root``; return the written files."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written: list[Path] = []
    for po_path in sorted(root.glob("**/locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=po_path.parent.parent.name)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


class BuildPyWithCatalogues(build_py):
    """setuptools' build_py that compiles the message catalogues before copying package data."""

    def run(self) -> None:
        compile_catalogues(Path(__file__).resolve().parent)
        super().run()
