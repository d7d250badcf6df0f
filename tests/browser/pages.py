"""Steps the browser tests share: log in, check a page with axe-core, take a screenshot."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import SCREENSHOTS
from tests.totp import fresh_code

_AXE = Axe()


def accessible(page) -> None:
    """No axe-core violation of impact serious or critical; one h1; Dutch."""
    results = _AXE.run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{page.url}: {bad}"
    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("lang") == "nl"


def user_of(users: dict, tenant: str, prefix: str = "medewerker") -> tuple[str, dict]:
    """A demo person of ``tenant`` (``medewerker.<tenant>``): username and its entry."""
    username = f"{prefix}.{tenant}"
    return username, users[tenant][username]


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def login(page, base: str, username: str, entry: dict, *, check: bool = False) -> None:
    page.goto(base + "/login")
    if check:
        accessible(page)
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(entry["password"])
    page.get_by_role("button", name="Inloggen").click()
    if entry.get("totp_secret"):
        page.wait_for_url("**/login/tweede-factor**")
        if check:
            accessible(page)
        page.get_by_label("Code uit uw authenticator-app").fill(fresh_code(entry["totp_secret"]))
        page.get_by_role("button", name="Bevestigen").click()
    page.wait_for_load_state()


def logged_in(new_context, hub, tenant: str, prefix: str = "medewerker"):
    """A new page in a new browser context, logged in as the demo person of ``tenant``."""
    base, users = hub
    page = new_context().new_page()
    login(page, base, *user_of(users, tenant, prefix))
    return page


def send_signaal(page, base: str, huisnummer: str, omschrijving: str) -> None:
    """Nieuw signaal about geluid at 1012 AB ``huisnummer`` (Meldpunt Centrum's area), sent."""
    fill_signaal(page, base, huisnummer, omschrijving)
    page.get_by_role("button", name="Signaal versturen").click()
    page.wait_for_load_state()
    assert "Het signaal is verstuurd." in page.content()


def fill_signaal(page, base: str, huisnummer: str, omschrijving: str) -> None:
    """The Nieuw signaal form filled in (geluid, 1012 AB ``huisnummer``), not yet sent."""
    page.goto(base + "/signalen/nieuw")
    page.get_by_label("Soort signaal").select_option("overlast")
    page.get_by_label("Geluid").check()
    page.get_by_label("Postcode").fill("1012 AB")
    page.get_by_label("Huisnummer").fill(huisnummer)
    page.get_by_label("Omschrijving").fill(omschrijving)
    page.get_by_label("Waargenomen op").fill("2026-11-20")
    page.get_by_label("Melder").select_option("omwonende")
