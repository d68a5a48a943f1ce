"""Iraq's governorates as inline SVG drawn by the server, each shaded by a CSS class (no tiles, no JavaScript)."""

from __future__ import annotations

import functools
import json
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import TypedDict

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Built by scripts/build_governorate_map.py from Natural Earth; see docs/decisions/0017-governorate-map.md.
MAP_FILE = Path(__file__).resolve().parent / "data" / "governorates_map.json"


class GovernorateShape(TypedDict):
    path: str
    label: list[float]


class GovernorateMap(TypedDict):
    source: str
    licence: str
    view_box: str
    governorates: dict[str, GovernorateShape]


@functools.cache
def governorate_map() -> GovernorateMap:
    with MAP_FILE.open(encoding="utf-8") as handle:
        data: GovernorateMap = json.load(handle)
    return data


GOVERNORATE_PCODES: tuple[str, ...] = tuple(governorate_map()["governorates"])


def governorate_map_svg(
    *,
    classes: Mapping[str, str],
    titles: Mapping[str, str],
    links: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    caption: str,
) -> SafeString:
    """The map as an `<svg>` element, keyed by governorate P-code.

    `classes` adds a CSS class to a governorate's path (the page's stylesheet gives the colours),
    `titles` its hover and screen-reader text, `links` wraps it in a link, `labels` writes a short text
    on it; governorates left out of a mapping get none. An unknown P-code is an error, not ignored.
    """
    links = links or {}
    labels = labels or {}
    for name, mapping in (("classes", classes), ("titles", titles), ("links", links), ("labels", labels)):
        unknown = sorted(set(mapping) - set(GOVERNORATE_PCODES))
        if unknown:
            raise ValueError(f"{name} names unknown governorates: {unknown}")
    data = governorate_map()
    # Unique on the page, so that two maps on it do not share the caption's id.
    caption_id = f"gov-map-{secrets.token_hex(4)}"
    shapes: list[SafeString] = []
    texts: list[SafeString] = []
    for pcode, shape in data["governorates"].items():
        title = format_html("<title>{}</title>", titles[pcode]) if pcode in titles else ""
        path = format_html(
            '<path class="{}" data-pcode="{}" d="{}">{}</path>',
            f"gov {classes[pcode]}" if classes.get(pcode) else "gov",
            pcode,
            shape["path"],
            title,
        )
        if pcode in links:
            path = format_html('<a href="{}">{}</a>', links[pcode], path)
        shapes.append(path)
        if labels.get(pcode):
            x, y = shape["label"]
            # Centred on the point whichever the page's direction; a click on it reaches the path below.
            texts.append(
                format_html(
                    '<text class="gov-label" x="{}" y="{}" text-anchor="middle" dominant-baseline="central"'
                    ' pointer-events="none">{}</text>',
                    x,
                    y,
                    labels[pcode],
                )
            )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="gov-map" viewBox="{}" role="img" aria-labelledby="{}">'
        '<title id="{}">{}</title>{}{}</svg>',
        data["view_box"],
        caption_id,
        caption_id,
        caption,
        format_html_join("", "{}", ((part,) for part in shapes)),
        format_html_join("", "{}", ((text,) for text in texts)),
    )
