"""axe-core in the page under test: WCAG 2.1 A and AA, and a readable failure.

The engine is the npm package pinned in package-lock.json (installed into
node_modules by scripts/axe-deps.sh, which `make test` runs). It is run through
the DevTools protocol (``page.evaluate``), not as a <script> tag
(``add_script_tag``): the portal's Content Security Policy blocks inline scripts,
and the tests keep that policy on rather than bypass it (a page whose own
script the policy blocks must fail here as it would for a visitor).
"""

from __future__ import annotations

import functools
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@functools.cache
def _source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def violations(page) -> list[dict]:
    """The page's WCAG 2.1 A/AA violations, as axe-core reports them."""
    assert AXE_JS.exists(), f"{AXE_JS} is missing: run `make axe-deps` (npm ci)"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    return result["violations"]


def report(url: str, found: list[dict]) -> str:
    lines = [f"{len(found)} accessibility violation(s) on {url}:"]
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary[:200]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail with the rule, impact, element and page address of every violation."""
    found = violations(page)
    assert not found, report(page.url, found)
