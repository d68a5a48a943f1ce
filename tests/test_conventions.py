"""The codebase's own conventions, checked: timestamps, protected URLs, UUIDs in URLs, module docstrings."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent / "awda"

# Pages open to everyone on purpose; every other URL needs a signed-in user.
PUBLIC_URL_NAMES = {
    "portal:landing",
    "portal:set_language",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "api-schema",
    "api-docs",
    # The public service catalogue (issue 5): anyone finds services without an account.
    "catalogue:service_search",
    "catalogue:service_public",
    "catalogue:organisation_public",
    "catalogue:export",
    "api:services",
    "api:service",
    "api:service_categories",
    # Companies register themselves (issue 8); the employment office reviews them before they can post.
    "jobs:register",
}


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(_patterns(entry, prefix + str(entry.pattern), ns))
        elif isinstance(entry, URLPattern):
            found.append((prefix + str(entry.pattern), f"{namespace}{entry.name}"))
    return found


# Rows that carry their own time (or none, being derived or reference data), with the reason.
EXEMPT_FROM_TIMESTAMPS = {
    "core.AuditEntry",  # "at" is the timestamp; rows never change
    "registry.CaseEvent",  # "at" is the timestamp; the timeline is history
    "registry.ReturneeCategory",  # "assigned_at"; derived from the rules
    "registry.NameToken",  # a search index derived from the name
    "registry.Occupation",  # ISCO-08 reference data, loaded by a migration
    "registry.CaseNumberCounter",  # a counter
    "exchange.RowError",  # a file's problems, written a million at a time; the batch has the times
    "jobs.Sector",  # ISIC Rev.4 sections, reference data loaded by a migration
    "jobs.SkillTerm",  # the skills vocabulary, reference data loaded by a migration
    "jobs.OfferMatch",  # millions of rows rebuilt from scratch by each re-match
}


def test_every_awda_model_has_timestamps() -> None:
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("awda."):
            continue
        names = {f.name for f in model._meta.get_fields()}
        if model._meta.label in EXEMPT_FROM_TIMESTAMPS:
            continue
        if not (
            {"created_at", "updated_at"} <= names
            or {"date_joined", "updated_at"} <= names
            or model.__module__ == "awda.geo.models"
        ):
            missing.append(model._meta.label)
    assert missing == []


def test_every_url_is_protected_unless_public_on_purpose(client: object, db: object) -> None:
    from django.test import Client

    anonymous = Client()
    open_urls = []
    for pattern, name in _patterns(get_resolver()):
        if name in PUBLIC_URL_NAMES or ("<" in pattern and name in PUBLIC_URL_NAMES):
            continue
        url = "/" + re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", pattern)
        url = re.sub(r"<(\w+:)?\w+>", "x", url)
        response = anonymous.get(url)
        redirected_to_login = response.status_code == 302 and response["Location"].startswith(
            "/accounts/login/"
        )
        if not (redirected_to_login or response.status_code in (401, 405)):
            open_urls.append((name, url, response.status_code))
    assert open_urls == []


def test_urls_name_objects_by_uuid_never_by_key() -> None:
    offending = [p for p, _ in _patterns(get_resolver()) if "<int:" in p or "<pk>" in p or "<int:pk>" in p]
    assert offending == []


def test_every_module_says_what_it_is_for() -> None:
    missing = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or (path.name == "__init__.py" and path.stat().st_size == 0):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not ast.get_docstring(tree):
            missing.append(str(path.relative_to(ROOT)))
    assert missing == []
