"""The journeys run under the Content-Security-Policy (issue 12, point 3): inline code is refused
by the browser, and the shared `side` fixture fails a test on any violation. This file checks that
the refusal happens and that the fixture sees it — else every journey would pass vacuously."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_an_injected_inline_style_and_script_are_refused_and_reported(side):
    side.goto("/konti/log-ind/")
    expect(side.get_by_role("heading", name="Log ind")).to_be_visible()
    assert side.csp_overtraedelser == []

    # Both refusals reach the console, where the fixture listens (the events are asynchronous).
    with (
        side.expect_console_message(lambda m: "CSP-overtrædelse: script-src-elem" in m.text),
        side.expect_console_message(lambda m: "CSP-overtrædelse: style-src-attr" in m.text),
    ):
        koerte = side.evaluate(
            """() => {
              window.injiceret = false;
              const s = document.createElement("script");
              s.textContent = "window.injiceret = true";
              document.body.appendChild(s);
              document.querySelector("h1").setAttribute("style", "color: red");
              return window.injiceret;
            }"""
        )

    assert koerte is False
    expect(side.locator("h1")).not_to_have_css("color", "rgb(255, 0, 0)")
    assert {"script-src-elem", "style-src-attr"} <= _direktiver(side.csp_overtraedelser)
    # Cleared, so this test itself passes the fixture's check.
    side.csp_overtraedelser.clear()


def _direktiver(overtraedelser: list[str]) -> set[str]:
    return {
        besked.split("CSP-overtrædelse: ", 1)[1].split()[0]
        for besked in overtraedelser
        if "CSP-overtrædelse: " in besked
    }
