"""`awda link`: link two CSV files of person records, or find the duplicates within one, without a database."""

from __future__ import annotations

import csv
import io
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from awda.core.tables import SAMPLE_BYTES, FileProblem, detect_encoding
from awda.exchange.linkage import LinkageResult, LinkageSettings, dedupe_records, link_records

_REQUIRED = ("record_id", "full_name")


def _decode(raw: bytes, path: str) -> str:
    """The text of a file in whatever encoding Excel wrote it, detected as for imports (core.tables)."""
    try:
        encoding = detect_encoding(raw[:SAMPLE_BYTES])
        return raw.decode(encoding)
    except (FileProblem, UnicodeDecodeError) as error:
        raise CommandError(
            _("%(path)s: the file's encoding could not be recognised; save it as UTF-8 and try again.")
            % {"path": path}
        ) from error


def read_records(path: str) -> pd.DataFrame:
    """Read a CSV of person records; refuse it with a clear message if it cannot be linked."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise CommandError(
            _("%(path)s: the file cannot be read (%(error)s).") % {"path": path, "error": error.strerror}
        ) from error
    text = _decode(raw, path)
    if not text.strip():
        raise CommandError(_("%(path)s: the file is empty.") % {"path": path})
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise CommandError(
            _("%(path)s: the file is not a readable CSV file (%(error)s).") % {"path": path, "error": error}
        ) from error
    frame.columns = [str(c).strip().lstrip("\ufeff").lower() for c in frame.columns]
    missing = [c for c in _REQUIRED if c not in frame.columns]
    if missing:
        raise CommandError(
            _(
                "%(path)s: the column(s) %(columns)s are missing; the first line must name record_id and full_name."
            )
            % {"path": path, "columns": ", ".join(missing)}
        )
    if frame.empty:
        raise CommandError(_("%(path)s: the file has a header but no records.") % {"path": path})
    ids = frame["record_id"].str.strip()
    if (ids == "").any():
        raise CommandError(
            _("%(path)s: %(count)d record(s) have no record_id.")
            % {"path": path, "count": int((ids == "").sum())}
        )
    duplicated = sorted(set(ids[ids.duplicated()]))
    if duplicated:
        raise CommandError(
            _("%(path)s: record_id must be unique; repeated: %(ids)s.")
            % {"path": path, "ids": ", ".join(duplicated[:10]) + (" …" if len(duplicated) > 10 else "")}
        )
    frame["record_id"] = ids
    return frame


def _write_pairs(frame: pd.DataFrame, path: str, names: tuple[str, str], *, reasons: bool = False) -> int:
    """The pairs as CSV; with ``reasons``, why a pair above the match threshold waits for review: the
    better candidate it is outranked by and the field on which that one contradicts it."""
    columns = ["left_id", "right_id", "match_probability"]
    columns += ["outranked_by", "outranked_on"] if reasons else []
    out = frame[columns].rename(columns={"left_id": names[0], "right_id": names[1]})
    out = out.assign(match_probability=out["match_probability"].map(lambda p: f"{p:.6f}"))
    out.to_csv(path, index=False, encoding="utf-8", quoting=csv.QUOTE_MINIMAL)
    return len(out)


class Command(BaseCommand):
    help = "Link two CSV files of person records (LEFT RIGHT), or deduplicate one (--dedupe FILE)."

    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="LEFT.csv RIGHT.csv, or one FILE.csv with --dedupe")
        parser.add_argument("--dedupe", action="store_true", help="find duplicates within one file")
        parser.add_argument("--out", required=True, help="CSV of the matched pairs")
        parser.add_argument("--clusters", help="dedupe: CSV of cluster_id,record_id")
        parser.add_argument("--review-out", help="CSV of the pairs between the review and match thresholds")
        defaults = LinkageSettings()
        parser.add_argument("--match-threshold", type=float, default=defaults.match_threshold)
        parser.add_argument("--review-threshold", type=float, default=defaults.review_threshold)

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[str] = options["files"]
        dedupe: bool = options["dedupe"]
        if dedupe and len(files) != 1:
            raise CommandError(_("With --dedupe, give exactly one file."))
        if not dedupe and len(files) != 2:
            raise CommandError(_("Give two files to link (LEFT RIGHT), or one with --dedupe."))
        if options["clusters"] and not dedupe:
            raise CommandError(_("--clusters is only meaningful with --dedupe."))
        try:
            settings = LinkageSettings(
                match_threshold=options["match_threshold"], review_threshold=options["review_threshold"]
            )
        except ValueError as error:
            raise CommandError(
                _("The thresholds must satisfy 0 < review threshold ≤ match threshold ≤ 1.")
            ) from error

        # Everything is read and checked before anything is written.
        frames = [read_records(path) for path in files]
        started = time.monotonic()

        def progress(stage: str, done: int, total: int) -> None:
            elapsed = time.monotonic() - started
            sys.stderr.write(
                _("%(stage)s: %(done)d of %(total)d (%(elapsed).0f s)")
                % {"stage": stage, "done": done, "total": total, "elapsed": elapsed}
                + "\n"
            )

        result: LinkageResult
        if dedupe:
            result = dedupe_records(frames[0], settings=settings, progress=progress)
            names = ("id_1", "id_2")
        else:
            result = link_records(frames[0], frames[1], settings=settings, progress=progress)
            names = ("left_id", "right_id")

        matched = _write_pairs(result.matches_frame(), options["out"], names)
        if options["review_out"]:
            _write_pairs(result.review_frame(), options["review_out"], names, reasons=True)
        if dedupe and options["clusters"]:
            with open(options["clusters"], "w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["cluster_id", "record_id"])
                for cluster in result.clusters():
                    for record_id in cluster:
                        writer.writerow([cluster[0], record_id])
        sys.stderr.write(
            _("%(matched)d matched pairs, %(review)d for review (%(elapsed).0f s).")
            % {
                "matched": matched,
                "review": len(result.review_frame()),
                "elapsed": time.monotonic() - started,
            }
            + "\n"
        )
