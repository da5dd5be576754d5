"""Form controls people can see: every control's border and the keyboard focus indicator at
3:1 or more against what is behind them (WCAG 2.2 1.4.11, 2.4.7), one focus style everywhere.

axe-core does not check non-text contrast, so this measures the computed styles in Chromium.
``measure_page`` is also what the figures in the issue 15 report were taken with.
"""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

MINIMUM = 3.0
FOCUS_COLOUR = "rgb(194, 65, 12)"  # #c2410c, site.css: the one focus indicator

# In the page: colours to contrast ratios, the background behind an element (the first ancestor
# with an opaque background), each visible control's boundary, and the focused element's ring.
_MEASURE_JS = """
() => {
  const rgb = (text) => {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return {r, g, b, a};
  };
  const lum = ({r, g, b}) => {
    const c = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
    return Math.round(((x + 0.05) / (y + 0.05)) * 100) / 100;
  };
  const behind = (el) => {
    for (let node = el.parentElement; node; node = node.parentElement) {
      const bg = rgb(getComputedStyle(node).backgroundColor);
      if (bg && bg.a > 0.5) return bg;
    }
    return {r: 255, g: 255, b: 255, a: 1};
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.name ? "[name=" + el.name + "]" : "") +
    (el.className ? "." + String(el.className).trim().split(/\\s+/).join(".") : "");
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 2 && box.height > 2 && style.visibility !== "hidden" &&
      style.display !== "none";
  };
  window.__clinicContrast = {rgb, ratio, behind, describe, visible};
  const controls = [...document.querySelectorAll(
    "input:not([type=hidden]):not(.btn-check), select, textarea, .btn-check + .btn, " +
    ".btn-outline-primary, .btn-outline-secondary, .btn-outline-danger, .navbar-toggler"
  )].filter((el) => visible(el) && !el.disabled && !el.closest("[aria-hidden=true]"));
  return controls.map((el) => {
    const style = getComputedStyle(el);
    const back = behind(el);
    const border = rgb(style.borderTopColor);
    const fill = rgb(style.backgroundColor);
    const width = parseFloat(style.borderTopWidth);
    const borderRatio = width > 0 && border && border.a > 0.5 ? ratio(border, back) : 0;
    // A filled control (a button) is as visible as its fill.
    const fillRatio = fill && fill.a > 0.5 ? ratio(fill, back) : 0;
    return {
      control: describe(el), border: style.borderTopColor, ratio: Math.max(borderRatio, fillRatio),
    };
  });
}
"""

_FOCUS_JS = """
() => {
  const {rgb, ratio, behind, describe} = window.__clinicContrast;
  let el = document.activeElement;
  if (!el || el === document.body) return null;
  // A visually hidden radio (the time buttons) shows its focus on its label.
  if (el.classList.contains("btn-check")) el = el.nextElementSibling;
  const style = getComputedStyle(el);
  const colour = rgb(style.outlineColor);
  const width = style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth);
  return {
    key: [...document.querySelectorAll("*")].indexOf(document.activeElement),
    control: describe(el),
    outline: style.outlineColor,
    width,
    shadow: style.boxShadow,
    ratio: width > 0 && colour ? ratio(colour, behind(el)) : 0,
  };
}
"""


def measure_page(page: Page, *, max_tabs: int = 60) -> dict:
    """Borders of the visible controls and the focus ring of everything Tab reaches."""
    borders = page.evaluate(_MEASURE_JS)
    rings = []
    page.evaluate("() => document.activeElement?.blur()")
    seen = set()
    for _ in range(max_tabs):
        page.keyboard.press("Tab")
        ring = page.evaluate(_FOCUS_JS)
        if ring is None or ring["key"] in seen:
            break
        seen.add(ring["key"])
        rings.append(ring)
    return {"borders": borders, "rings": rings}


def assert_visible_controls(page: Page) -> dict:
    figures = measure_page(page)
    assert figures["borders"], f"no controls measured on {page.url}"
    faint = [b for b in figures["borders"] if b["ratio"] < MINIMUM]
    assert faint == [], f"control borders below {MINIMUM}:1 on {page.url}: {faint}"
    controls = [
        r
        for r in figures["rings"]
        if re.match(r"(input|select|textarea|button|label)", r["control"])
    ]
    assert controls, f"Tab reached no form control on {page.url}"
    weak = [r for r in figures["rings"] if r["ratio"] < MINIMUM or r["width"] < 2]
    assert weak == [], f"focus indicators below {MINIMUM}:1 or thinner than 2px: {weak}"
    # One focus style: the same orange outline on links, fields, radios, buttons and times,
    # except on the dark offer banner, where it is white.
    styles = {r["outline"] for r in figures["rings"] if "offer" not in r["control"]}
    assert styles <= {FOCUS_COLOUR, "rgb(255, 255, 255)"}, styles
    assert all(r["shadow"] == "none" for r in controls), [r for r in controls if r["shadow"]]
    return figures


def test_booking_pages_controls_and_focus_are_visible(page: Page, demo_clinic):
    page.goto("/book/")
    assert_visible_controls(page)
    page.get_by_role("radio", name=re.compile("Initial consultation")).check()
    page.get_by_role("button", name="Choose a time").click()
    page.wait_for_url(re.compile(r"/book/initial-consultation/"))
    figures = assert_visible_controls(page)
    assert any("slot-button" in r["control"] for r in figures["rings"]), "no time was focused"

    page.locator(".slot-button").first.click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"/book/details/"))
    figures = assert_visible_controls(page)
    kinds = {b["control"].split("[")[0].split(".")[0] for b in figures["borders"]}
    assert {"input#id_name", "input#id_consent", "textarea#id_notes"} <= kinds

    # Errors: the summary is announced and focused, and the title says so.
    page.get_by_role("button", name="Continue to review").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_be_focused()
    assert_visible_controls(page)


def test_contact_form_controls_and_focus_are_visible(page: Page, settings):
    settings.RATELIMIT_ENABLE = False
    page.goto("/contact/")
    figures = assert_visible_controls(page)
    kinds = {b["control"].split(".")[0] for b in figures["borders"]}
    assert any(k.startswith("input#id_preferred_contact") for k in kinds)


def test_self_assessment_controls_and_focus_are_visible(page: Page, transactional_db):
    page.goto("/assessment/")
    figures = assert_visible_controls(page)
    radios = [b for b in figures["borders"] if "form-check-input" in b["control"]]
    assert len(radios) >= 5
