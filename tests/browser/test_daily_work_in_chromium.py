"""The daily work in a real browser (Debian's Chromium): a BSN typed into Nieuw signaal is
refused at its field and never sent back; inbox → message → reageren, and the sender sees the
reactie; a meldpunt registers the signaal under a zaak, assigns it (the partner accepts in the
web), follows the timeline and closes it; Termijnen late first. axe-core on every page."""

from __future__ import annotations

import re

import pytest

from tests.browser.pages import accessible, fill_signaal, login, screenshot
from tests.browser.pages import user_of as _user

pytestmark = pytest.mark.browser

BSN = "111222333"  # passes the 11-proof
MELDPUNT = "Meldpunt Zorg en Woonoverlast Centrum"


def _as(new_context, hub, tenant):
    base, users = hub
    page = new_context().new_page()
    login(page, base, *_user(users, tenant))
    return page


def _fill_signaal(page, base, huisnummer: str, omschrijving: str) -> None:
    fill_signaal(page, base, huisnummer, omschrijving)


def _send_signaal(page, base, huisnummer: str, omschrijving: str) -> str:
    _fill_signaal(page, base, huisnummer, omschrijving)
    page.get_by_role("button", name="Signaal versturen").click()
    page.wait_for_load_state()
    assert "Het signaal is verstuurd." in page.content()
    return page.url


def _open_from_inbox(page, base, row_text: str, link: str) -> None:
    """Open the inbox row holding ``row_text`` by its ``link`` (delivery runs in the back)."""
    for _ in range(150):  # bounded: at most ~30 s
        page.goto(base + "/inbox")
        found = page.get_by_role("row", name=re.compile(re.escape(row_text))).get_by_role(
            "link", name=link)
        if found.count():
            break
        page.wait_for_timeout(200)
    accessible(page)
    found.first.click()
    page.wait_for_load_state()
    assert re.search(r"/inbox/[0-9a-f-]{36}$", page.url)


def _reload_until(page, text: str) -> None:
    for _ in range(150):
        page.reload()
        if text in page.content():
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"{text!r} never appeared on {page.url}")


def test_a_bsn_typed_into_a_nieuw_signaal_is_refused_at_its_field_and_not_in_the_page(
        hub, new_context):
    base, _ = hub
    page = _as(new_context, hub, "rochdale")
    _fill_signaal(page, base, "3", f"De bewoner met BSN {BSN} draait de hele nacht muziek.")
    page.get_by_role("button", name="Signaal versturen").click()
    page.wait_for_load_state()
    assert page.url.endswith("/signalen/nieuw")
    error = page.locator("#omschrijving-fout")
    assert "Dit veld lijkt een BSN te bevatten" in error.inner_text()
    field = page.get_by_label("Omschrijving")
    assert "omschrijving-fout" in field.get_attribute("aria-describedby")
    assert field.get_attribute("aria-invalid") == "true" and field.input_value() == ""
    summary = page.get_by_role("alert")
    assert summary.get_by_role("link", name=re.compile("Omschrijving")).count() == 1
    content = page.content()
    assert BSN not in content and "111 222 333" not in content and "111.222.333" not in content
    assert page.get_by_label("Postcode").input_value() == "1012 AB"  # the rest is kept
    accessible(page)
    screenshot(page, "nieuw-signaal-bsn")


def test_inbox_message_reageren_and_the_sender_sees_the_reactie(hub, new_context):
    base, _ = hub
    corporatie = _as(new_context, hub, "ymere")
    sent = _send_signaal(corporatie, base, "5", "Harde muziek na middernacht, al drie weken.")
    accessible(corporatie)  # the sender's view of the sent message

    meldpunt = _as(new_context, hub, "mzwo-centrum")
    _open_from_inbox(meldpunt, base, "1012 AB 5", "Signaal")
    assert "Harde muziek na middernacht" in meldpunt.content()
    assert meldpunt.get_by_role("heading", level=1).inner_text() == "Signaal van Ymere"
    accessible(meldpunt)
    meldpunt.get_by_label("Status").select_option("in_behandeling")
    meldpunt.get_by_label("Toelichting").fill("Wij gaan vandaag langs.")
    meldpunt.get_by_role("button", name="Reactie versturen").click()
    meldpunt.wait_for_load_state()
    assert "Uw reactie is verstuurd." in meldpunt.content()
    assert "ontvangen op" in meldpunt.content()  # reageren acknowledged the signaal
    accessible(meldpunt)

    _open_from_inbox(corporatie, base, MELDPUNT, "Reactie op signaal")
    text = corporatie.locator("main").inner_text()
    assert "In behandeling" in text or "in behandeling" in text
    assert "Wij gaan vandaag langs." in text
    accessible(corporatie)
    screenshot(corporatie, "reactie")
    corporatie.goto(sent)  # the sent signaal: the meldpunt has it, read
    row = corporatie.get_by_role("row", name=re.compile(MELDPUNT))
    assert "ontvangen" in row.inner_text()
    accessible(corporatie)

    # The signaal also reached HVO-Querido on its client's consent, with its term running:
    # on Ymere's Termijnen page in werkdagen.
    corporatie.goto(base + "/termijnen")
    accessible(corporatie)
    row = corporatie.get_by_role("row", name=re.compile("HVO-Querido")).first
    assert re.search(r"nog \d werkdag|vandaag de laatste dag", row.inner_text())
    screenshot(corporatie, "termijnen")


def test_a_meldpunt_registers_a_signaal_under_a_zaak_assigns_it_and_closes_it(hub, new_context):
    base, _ = hub
    corporatie = _as(new_context, hub, "ymere")
    _send_signaal(corporatie, base, "7", "Geluidsoverlast uit de bovenwoning.")

    meldpunt = _as(new_context, hub, "mzwo-centrum")
    _open_from_inbox(meldpunt, base, "1012 AB 7", "Signaal")
    meldpunt.get_by_label("Zaakkenmerk").fill("MZC-2026-0007")
    meldpunt.get_by_role("button", name="Aan zaak koppelen").click()
    meldpunt.wait_for_load_state()
    assert meldpunt.url.endswith("/zaken/MZC-2026-0007")
    assert meldpunt.get_by_role("heading", level=1).inner_text() == "Zaak MZC-2026-0007"
    advies = meldpunt.locator("section", has=meldpunt.get_by_role("heading", name="Toewijzingsadvies"))
    assert "Politie Eenheid Amsterdam" in advies.inner_text()
    accessible(meldpunt)

    # A regiecheck started from the zaak lands in its timeline, one row per asked partner.
    zaak_url = meldpunt.url
    meldpunt.get_by_role("link", name="Regiecheck starten voor deze zaak").click()
    meldpunt.wait_for_load_state()
    assert meldpunt.get_by_label("Zaakkenmerk").input_value() == "MZC-2026-0007"
    meldpunt.get_by_label("Achternaam").fill("Bakker")
    meldpunt.get_by_label("Geboortedatum").fill("1975-06-15")
    meldpunt.get_by_label("Soort", exact=True).select_option("overlast")
    meldpunt.get_by_role("button", name="Partners bevragen").click()
    meldpunt.wait_for_load_state()
    assert "De regiecheck is gestart" in meldpunt.content()
    meldpunt.goto(zaak_url)
    asked = meldpunt.get_by_role("table", name="Ontvangers: regiecheck-vraag")
    assert "Politie Eenheid Amsterdam" in asked.inner_text() and "gevraagd" in asked.inner_text()

    meldpunt.get_by_label("Partner").select_option("politie-amsterdam")
    meldpunt.get_by_label("Toelichting").first.fill("Graag contact met de melder.")
    meldpunt.get_by_role("button", name="Zaak toewijzen").click()
    meldpunt.wait_for_load_state()
    assert "De zaak is toegewezen aan Politie Eenheid Amsterdam." in meldpunt.content()

    politie = _as(new_context, hub, "politie-amsterdam")
    _open_from_inbox(politie, base, MELDPUNT, "Toewijzing")
    accessible(politie)
    politie.get_by_label("Besluit").select_option("accepteren")
    politie.get_by_role("textbox", name=re.compile(r"^Contactpersoon")).fill("A. de Vries")
    politie.get_by_role("button", name="Besluit versturen").click()
    politie.wait_for_load_state()
    assert "De toewijzing is geaccepteerd." in politie.content()

    _reload_until(meldpunt, "geaccepteerd")
    timeline = meldpunt.locator("section", has=meldpunt.get_by_role("heading", name="Tijdlijn"))
    text = timeline.inner_text()
    assert "Signaal" in text and "Toewijzing" in text and "Reactie op toewijzing" in text
    toewijzing = meldpunt.get_by_role("table", name="Ontvangers: toewijzing")
    assert "Politie Eenheid Amsterdam" in toewijzing.inner_text()
    assert "ontvangen" in toewijzing.inner_text()  # who received it, and that it was read
    accessible(meldpunt)
    screenshot(meldpunt, "zaak")

    meldpunt.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Zaken").click()
    meldpunt.wait_for_load_state()
    assert meldpunt.get_by_role("link", name="MZC-2026-0007").count() == 1
    accessible(meldpunt)
    screenshot(meldpunt, "zaken")

    meldpunt.get_by_role("link", name="MZC-2026-0007").click()
    meldpunt.wait_for_load_state()
    meldpunt.get_by_label("Reden").select_option("opgelost")
    meldpunt.get_by_role("button", name="Zaak afsluiten").click()
    meldpunt.wait_for_load_state()
    assert "De zaak is gesloten" in meldpunt.content()
    assert "reden: Opgelost" in meldpunt.locator("main").inner_text()
    accessible(meldpunt)
    meldpunt.goto(base + "/zaken?status=gesloten")
    assert meldpunt.get_by_role("link", name="MZC-2026-0007").count() == 1
    meldpunt.goto(base + "/termijnen")
    assert meldpunt.get_by_role("heading", level=1).inner_text() == "Termijnen"
    accessible(meldpunt)

    # A partner has no Zaken in its menu and gets the 403 page.
    politie.goto(base + "/inbox")
    menu = politie.get_by_role("navigation", name="Hoofdmenu")
    assert menu.get_by_role("link", name="Zaken").count() == 0
    assert menu.get_by_role("link", name="Termijnen").count() == 1
    politie.goto(base + "/zaken")
    assert politie.get_by_role("heading", level=1).inner_text() == "Geen toegang"


def test_the_pages_work_with_the_keyboard_alone(hub, new_context):
    base, users = hub
    username, entry = _user(users, "mzwo-centrum")
    page = new_context().new_page()
    page.goto(base + "/login")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Naar de inhoud"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "username"
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    page.keyboard.type(entry["password"])
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/inbox$"))  # logged in: the start page is the inbox
    for _ in range(20):  # Tab through the header to the menu's Termijnen, then follow it
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Termijnen":
            break
    else:
        raise AssertionError("Termijnen in the menu cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/termijnen$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Termijnen"


def test_the_meldpunt_sends_an_urgent_bericht_and_a_bsn_in_it_is_refused_at_its_field(
        hub, new_context):
    base, _ = hub
    meldpunt = _as(new_context, hub, "mzwo-centrum")
    meldpunt.get_by_role("link", name="Nieuw bericht").click()
    meldpunt.wait_for_load_state()
    accessible(meldpunt)
    meldpunt.get_by_role("link", name="Urgent bericht").click()
    meldpunt.wait_for_load_state()
    assert meldpunt.get_by_role("heading", level=1).inner_text() == "Urgent bericht"
    meldpunt.get_by_label("Achternaam").fill("Jansen")
    meldpunt.get_by_label("Geboortedatum").fill("1970-03-01")
    meldpunt.get_by_label("Postcode").fill("1012 AB")
    meldpunt.get_by_label("Huisnummer").fill("9")
    meldpunt.get_by_label("Situatieschets").fill(f"Bewoner {BSN} dreigt met brand.")
    meldpunt.get_by_label("Naam contactpersoon").fill("A. de Vries")
    meldpunt.get_by_role("button", name="Urgent bericht versturen").click()
    meldpunt.wait_for_load_state()
    assert "Dit veld lijkt een BSN te bevatten" in meldpunt.locator("#situatieschets-fout").inner_text()
    assert BSN not in meldpunt.content()
    accessible(meldpunt)
    meldpunt.get_by_label("Situatieschets").fill("Bewoner dreigt de woning in brand te steken.")
    meldpunt.get_by_role("button", name="Urgent bericht versturen").click()
    meldpunt.wait_for_load_state()
    assert "Het urgente bericht is verstuurd." in meldpunt.content()
    assert meldpunt.get_by_role("row", name=re.compile("toegestaan")).count() >= 2
    accessible(meldpunt)
