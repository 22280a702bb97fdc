"""The server-side SVG chart of the report: well-formed, accessible, and suppression-aware."""

import xml.etree.ElementTree as ET

from oversigt.diagram import Serie, soejlediagram
from oversigt.smaa_tal import Tal, primaer

NS = "{http://www.w3.org/2000/svg}"


def tegn(**kwargs):
    return ET.fromstring(  # noqa: S314 - our own SVG, not untrusted input
        soejlediagram(
            "Ind- og udskrivning pr. måned",
            "Indskrevne og udskrevne borgere pr. måned",
            ["jan.", "feb."],
            [
                Serie("Indskrevet", [Tal(4), primaer(2)]),
                Serie("Udskrevet", [Tal(0), Tal(3)]),
            ],
            **kwargs,
        )
    )


def test_the_chart_is_an_image_with_a_title_and_a_description():
    svg = tegn()

    assert svg.get("role") == "img"
    assert svg.find(f"{NS}title").text == "Ind- og udskrivning pr. måned"
    assert svg.find(f"{NS}desc").text == "Indskrevne og udskrevne borgere pr. måned"


def test_every_shown_count_is_a_bar_with_its_value_and_a_hidden_one_is_written_as_under_3():
    svg = tegn()
    tekster = [t.text for t in svg.iter(f"{NS}text")]
    hoejder = [float(r.get("height")) for r in svg.iter(f"{NS}rect")][:3]  # bars before legend

    assert tekster[:6] == ["4", "0", "jan.", "<3", "3", "feb."]
    assert tekster[-2:] == ["Indskrevet", "Udskrevet"]
    # 4 is the highest bar, 0 has no height, 3 is three quarters of 4; the <3 has no bar.
    assert hoejder[0] > hoejder[2] > hoejder[1] == 0
    assert hoejder[2] == round(0.75 * hoejder[0], 1)


def test_two_charts_in_one_document_name_their_own_title_and_description():
    en = soejlediagram("A", "a", ["x"], [Serie("S", [Tal(3)])], noegle="maaneder")
    to = soejlediagram("B", "b", ["x"], [Serie("S", [Tal(3)])], noegle="tragt")

    assert 'aria-labelledby="maaneder-titel maaneder-beskrivelse"' in en
    assert '<title id="tragt-titel">B</title>' in to
    assert 'id="maaneder-titel"' not in to


def test_names_are_escaped():
    svg = soejlediagram("a < b & c", "d", ["<x>"], [Serie("S&P", [Tal(1)])])

    assert "a &lt; b &amp; c" in svg
    laest = ET.fromstring(svg)  # noqa: S314 - our own SVG, not untrusted input
    assert laest.find(f"{NS}title").text == "a < b & c"
    assert [t.text for t in laest.iter(f"{NS}text")][-1] == "S&P"
