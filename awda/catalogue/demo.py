"""The demo catalogue (``awda demo``): organisations, programmes and services from data/demo_catalogue.json."""

from __future__ import annotations

import json
from pathlib import Path

from awda.accounts.models import User
from awda.catalogue.actions import catalogue_bundle_load
from awda.catalogue.models import Service

DEMO_FILE = Path(__file__).resolve().parent / "data" / "demo_catalogue.json"


def demo_catalogue() -> str:
    """Load the demo catalogue once, as the demo administrator; says what it did."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return "no demo administrator"
    if Service.objects.exists():
        return "already there"
    bundle = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    counts = catalogue_bundle_load(actor=admin, bundle=bundle, note="Demo catalogue")
    return f"{counts['organisations']} organisations, {counts['programmes']} programmes, {counts['created']} services"
