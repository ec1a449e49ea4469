"""The pages in Debian's Chromium, driven by Playwright: each flow a person follows, axe-core on
every page (no serious or critical violation), no request leaving the machine, and a screenshot
of each page under build/screenshots (the README shows them)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.web.conftest import SCREENSHOTS

CHROMIUM = "/usr/bin/chromium"  # Debian's, installed by tools/browser-deps
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE = Axe()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, site) -> Iterator[Page]:
    """A fresh browser context (no cookies) whose every request is recorded: none may leave the site,
    and nothing the pages do may be blocked by their content security policy."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-CA")
    opened = context.new_page()
    requested: list[str] = []
    opened.on("request", lambda request: requested.append(request.url))
    blocked: list[str] = []
    opened.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield opened
    context.close()
    elsewhere = [url for url in requested if not url.startswith(site.base + "/")]
    assert not elsewhere, f"requests left the machine: {elsewhere[:5]}"
    assert not blocked, blocked[:3]


def checked(page: Page, name: str) -> None:
    """axe-core finds no serious or critical violation; the page is saved as build/screenshots/<name>.png."""
    results = AXE.run(page)
    grave = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not grave, [(v["id"], v["help"], [n["target"] for n in v["nodes"][:3]]) for v in grave]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)


def test_search_then_occupation_then_provenance(page, site):
    page.goto(site.base + "/")
    expect(page.get_by_role("heading", name="Data status")).to_be_visible()
    expect(page.locator("dl.status")).to_contain_text("29.3")
    checked(page, "home")
    page.get_by_label("Occupation, NOC unit group or job title").fill("registered nurse")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name=re.compile("Results for"))).to_be_visible()
    checked(page, "search")
    page.get_by_role("link", name="Registered Nurses", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Registered Nurses")
    expect(page.locator("figure.chart svg").first).to_be_visible()  # ratings drawn as charts
    expect(page.locator(".badge.onet").first).to_be_visible()
    expect(page.get_by_role("heading", name="NOC 2021 unit groups (crosswalk)")).to_be_visible()
    checked(page, "occupation")
    skills = page.locator("section", has=page.get_by_role("heading", name="Skills", exact=True))
    skills.locator("figure.chart a").first.click()  # a bar leads to that value's provenance
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("O*NET 29.3, Skills.txt, line")
    checked(page, "provenance")


def test_unit_group_shows_oasis_first_then_the_onet_aggregate(page, site):
    page.goto(site.base + "/occupation/15-1252.00")
    page.get_by_role("link", name="Software engineers and designers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("21231")
    headings = page.locator("h2").all_inner_texts()
    assert headings.index(next(h for h in headings if h.startswith("OaSIS values"))) < headings.index(
        next(h for h in headings if h.startswith("O*NET values aggregated"))
    )
    expect(page.locator(".badge.authoritative").first).to_be_visible()
    checked(page, "unit-group")
    page.get_by_role("navigation", name="Hierarchy").get_by_role("link", name=re.compile("^2123 ")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2123")  # up to its minor group
    expect(page.get_by_role("link", name="Software engineers and designers")).to_be_visible()  # and down again
    checked(page, "noc-group")


def test_skill_gap_chart_table_and_csv(page, site):
    page.goto(site.base + "/gap")
    page.get_by_label("From (occupation title or code, or role:N)").fill("29-1141.00")
    page.get_by_label("To (occupation title or code, or role:N)").fill("medical and health services managers")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("figure.chart svg rect.bar.to").first).to_be_visible()
    expect(page.get_by_role("heading", level=2)).to_contain_text(
        "Registered Nurses → Medical and Health Services Managers"
    )
    rows = page.locator("table tbody tr")
    assert rows.count() > 0
    checked(page, "skill-gap")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("element_id,element_name,scale_id") and len(lines) == rows.count() + 1
    page.goto(site.base + "/careers/29-1141.00")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Career transitions from")
    assert page.locator("table tbody tr").count() == 15
    checked(page, "transitions")


def test_paste_titles_then_export_csv(page, site):
    page.goto(site.base + "/coding")
    page.get_by_label("Job titles, one per line").fill("Registered nurse\nsoftware dev\nChief executive")
    page.get_by_role("button", name="Code titles").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("29-1141.00")
    checked(page, "coding")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("title,rank,code") and len(lines) == 1 + 3 * 5


def test_sign_in_override_restore_diff_and_approve(page, site):
    page.goto(site.base + f"/admin/roles/{site.nurse_role}")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()  # sent to sign in first
    checked(page, "sign-in")
    page.get_by_label("API token").fill(site.admin_token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Charge Nurse")
    checked(page, "role")

    page.get_by_role("link", name="Override description", exact=True).click()
    inline = page.locator("tr.editing")  # htmx puts the form under the field's row
    expect(inline.get_by_label("Value (description)")).to_have_value(re.compile("^Assess patient health"))
    inline.get_by_label("Value (description)").fill("Leads the nursing team of one ward.")
    inline.get_by_label("Reason").fill("our ward structure")
    inline.get_by_role("button", name="Override", exact=True).click()
    custom_row = page.locator("tr.custom", has_text="description")
    expect(custom_row).to_contain_text("Leads the nursing team of one ward.")
    expect(page.locator("table.diff")).to_contain_text("our ward structure")  # the diff names the change
    checked(page, "role-overridden")

    page.get_by_role("button", name="Restore description", exact=True).click()
    expect(page.locator("tr.custom", has_text="description")).to_have_count(0)
    expect(page.get_by_text("The role overrides nothing.")).to_be_visible()

    page.get_by_role("link", name="Code review").first.click()
    expect(page.get_by_role("heading", name=re.compile("Senior Software Developer"))).to_be_visible()
    checked(page, "review-queue")
    section = page.locator("section", has=page.get_by_role("heading", name=re.compile("Senior Software Developer")))
    section.get_by_role("button", name=re.compile("^Approve")).first.click()
    expect(page.locator(".flash")).to_contain_text("approved")
    page.goto(site.base + f"/admin/roles/{site.coded_role}")
    expect(page.locator("p.meta")).not_to_contain_text("Approved code: none")

    page.goto(site.base + "/admin/bulk")
    checked(page, "bulk")
    bulk = page.locator("form[action='/admin/bulk/override']")
    bulk.get_by_label("Role numbers, separated by commas or spaces").fill(f"{site.nurse_role}, {site.coded_role}")
    bulk.get_by_label("Attribute").fill("job_zone")
    bulk.get_by_label("Value").fill("5")
    bulk.get_by_label("Reason").fill("senior band")
    bulk.get_by_role("button", name="Apply").click()
    expect(page.locator(".flash")).to_contain_text("job_zone overridden on 2 roles")
    copy = page.locator("form[action='/admin/bulk/copy']")
    copy.get_by_label("From role").fill(str(site.coded_role))
    copy.get_by_label("Role numbers, separated by commas or spaces").fill(str(site.nurse_role))
    copy.get_by_role("button", name="Copy overrides").click()
    expect(page.locator(".flash")).to_contain_text("copied to 1 roles")
    page.goto(site.base + f"/admin/roles/{site.nurse_role}")
    expect(page.locator("tr.custom", has_text="job_zone")).to_contain_text("5")

    page.goto(site.base + "/gap")  # signed in, the organisation's roles are offered as sides
    assert page.locator(f"datalist#roles option[value='role:{site.nurse_role}']").count() == 1
    page.get_by_label("From (occupation title or code, or role:N)").fill(f"role:{site.nurse_role}")
    page.get_by_label("To (occupation title or code, or role:N)").fill("11-9111.00")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Charge Nurse → Medical and Health Services Managers")

    page.goto(site.base + "/admin/tokens")
    page.get_by_label("Name").fill("reporting")
    page.get_by_label("Access").select_option("viewer")
    page.get_by_role("button", name="Create a token").click()
    created = page.locator("#new-token").inner_text()
    assert created.startswith("jf_")
    checked(page, "tokens")
    page.get_by_role("button", name="Revoke reporting").click()
    expect(page.locator(".flash")).to_contain_text("token reporting revoked")
    assert page.request.get(site.base + "/roles", headers={"Authorization": f"Bearer {created}"}).status == 401

    page.goto(site.base + "/admin/audit")
    expect(page.locator("table")).to_contain_text("overridden")
    checked(page, "audit")
    for path, name in (("/admin/updates", "updates"), ("/admin/roles", "roles")):
        page.goto(site.base + path)
        checked(page, name)


def test_a_role_is_made_given_a_code_and_its_details_edited_from_the_pages(page, site):
    page.goto(site.base + "/admin/sign-in")
    page.get_by_label("API token").fill(site.admin_token)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="New role").click()
    checked(page, "role-new")
    page.get_by_label("Title").fill("Payroll Analyst")
    page.get_by_label("Family").fill("Finance")
    page.get_by_label("Initial code (O*NET-SOC or NOC, optional)").fill("11-9111.00")
    page.get_by_role("button", name="Create the role").click()
    expect(page.locator(".flash")).to_contain_text("created; its codes wait for review")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Payroll Analyst")
    expect(page.locator("section", has_text="Code review")).to_contain_text("11-9111.00")

    proposal = page.locator("form", has=page.get_by_role("button", name="Propose", exact=True))
    proposal.get_by_label("Code (O*NET-SOC or NOC)").fill("29-1141.00")
    proposal.get_by_label("Why this code").fill("runs the payroll of the wards")
    proposal.get_by_role("button", name="Propose").click()
    expect(page.locator(".flash")).to_contain_text("29-1141.00 proposed for review")
    expect(page.locator("section", has_text="Code review")).to_contain_text("runs the payroll of the wards")

    page.get_by_text("Edit the title, description, family, unit, level or language").click()
    page.get_by_label("Title").fill("Senior Payroll Analyst")
    page.get_by_label("Level").fill("P3")
    checked(page, "role-details")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("details saved")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Senior Payroll Analyst")
    expect(page.locator("p.meta")).to_contain_text("P3")

    page.goto(site.base + "/admin/roles/new")
    roles_csv = b"Job Title,Job Family\nWard Clerk,Care\nNight Nurse,Care\n"
    page.get_by_label("CSV file", exact=True).set_input_files(
        files=[{"name": "roles.csv", "mimeType": "text/csv", "buffer": roles_csv}]
    )
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("2 roles imported")
    expect(page.get_by_role("heading", name=re.compile("Night Nurse"))).to_be_visible()  # in the review queue


def test_without_javascript_the_override_link_opens_the_form_prefilled(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.base + "/admin/sign-in")
    page.get_by_label("API token").fill(site.admin_token)
    page.get_by_role("button", name="Sign in").click()
    page.goto(site.base + f"/admin/roles/{site.nurse_role}")
    page.get_by_role("link", name="Override job_zone", exact=True).click()
    assert page.get_by_label("Attribute").input_value() == "job_zone"
    resolved = page.request.get(
        site.base + f"/roles/{site.nurse_role}", headers={"Authorization": f"Bearer {site.admin_token}"}
    ).json()
    now = next(field["value"] for field in resolved["fields"] if field["attribute"] == "job_zone")
    assert page.get_by_label("Value", exact=True).input_value() == f"{now:g}"  # prefilled with what it is now
    page.get_by_label("Value", exact=True).fill("9")
    page.get_by_label("Reason", exact=True).fill("out of range on purpose")
    page.get_by_role("button", name="Override", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("job_zone")  # the range error, said as a page
    context.close()


def test_a_viewer_cannot_override_and_a_form_without_its_csrf_token_is_refused(page, site):
    page.goto(site.base + "/admin/sign-in")
    page.get_by_label("API token").fill(site.viewer_token)
    page.get_by_role("button", name="Sign in").click()
    page.goto(site.base + f"/admin/roles/{site.nurse_role}")
    expect(page.get_by_role("heading", name="Override")).to_have_count(0)  # no form for a viewer
    answer = page.request.post(
        site.base + f"/admin/roles/{site.nurse_role}/override",
        form={"attribute": "description", "value": "x", "reason": "y"},
    )
    assert answer.status == 403 and "CSRF" in answer.text()


def test_french_by_accept_language_and_by_the_switch(browser, site):
    context = browser.new_context(locale="fr-CA", extra_http_headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    page = context.new_page()
    page.goto(site.base + "/occupation/29-1141.00")
    assert page.locator("html").get_attribute("lang") == "fr"
    expect(page.get_by_role("heading", name="Tâches (", exact=False)).to_be_visible()
    assert page.locator("h1").get_attribute("lang") == "en"  # the data stays English, and says so
    expect(page.get_by_text("Données en anglais, leur langue d’origine.")).to_be_visible()
    checked(page, "occupation-fr")
    page.get_by_role("link", name="Show in English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(site.base + "/gap")  # the choice is remembered
    expect(page.get_by_role("heading", name="Skill gap")).to_be_visible()
    context.close()


def test_keyboard_reaches_the_search_and_a_result(page, site):
    page.goto(site.base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    for _ in range(12):
        if page.evaluate("document.activeElement.id") == "q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("nurse")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Results for"))).to_be_visible()


def test_coverage_page_draws_each_kind(page, site):
    page.goto(site.base + "/")
    page.get_by_role("link", name="Coverage").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Coverage")
    occupations = page.locator("section", has=page.get_by_role("heading", name=re.compile("^O\\*NET occupations")))
    expect(occupations.locator("svg rect.bar.onet").first).to_be_visible()
    expect(occupations.locator("table")).to_contain_text("Skills")
    checked(page, "coverage")
