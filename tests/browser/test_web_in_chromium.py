"""The web in a real browser (Debian's Chromium): login with and without the second factor,
inbox → message → reageren with the reactie back at the sender, a BSN refused at its field,
CSRF, tenants apart, logout; axe-core on every page; screenshots for the README."""

from __future__ import annotations

import re

import pytest

from tests.browser.pages import accessible, login, screenshot

pytestmark = pytest.mark.browser

BSN = "111222333"  # passes the 11-proof


def _user(users, tenant, prefix="medewerker"):
    username = f"{prefix}.{tenant}"
    return username, users[tenant][username]


def _send_signaal(page, base, omschrijving="Harde muziek na middernacht, al drie weken."):
    page.goto(base + "/signalen/nieuw")
    page.get_by_label("Soort signaal").select_option("overlast")
    page.get_by_label("Geluid").check()
    page.get_by_label("Postcode").fill("1012 AB")
    page.get_by_label("Huisnummer").fill("7")
    page.get_by_label("Omschrijving").fill(omschrijving)
    page.get_by_label("Waargenomen op").fill("2026-11-27")
    page.get_by_label("Melder", exact=True).select_option("omwonende")
    page.get_by_role("button", name="Signaal versturen").click()
    page.wait_for_load_state()


def _open_first_inbox_item(page, base, kind: str) -> str:
    for _ in range(100):  # the worker delivers in the background: reload until it is there
        page.goto(base + "/inbox")
        link = page.get_by_role("link", name=kind).first
        if link.count():
            link.click()
            page.wait_for_load_state()
            return page.url
        page.wait_for_timeout(200)
    pytest.fail(f"no {kind} in the inbox")


def test_a_medewerker_logs_in_without_a_second_factor_and_sees_the_inbox(hub, new_context):
    base, users = hub
    page = new_context().new_page()
    login(page, base, *_user(users, "ymere"), check=True)
    page.goto(base + "/inbox")
    assert page.get_by_role("heading", level=1).inner_text() == "Inbox"
    accessible(page)


def test_a_privacy_officer_logs_in_with_the_second_factor(hub, new_context):
    base, users = hub
    page = new_context().new_page()
    username, entry = _user(users, "mzwo-centrum", "privacy")
    page.goto(base + "/login")
    screenshot(page, "login")
    login(page, base, username, entry, check=True)
    assert page.get_by_role("heading", level=1).inner_text() == "Startpagina"
    accessible(page)
    page.goto(base + "/inbox")  # not a medewerker: the 403 page
    assert page.get_by_role("heading", level=1).inner_text() == "Geen toegang"
    accessible(page)


def test_a_signaal_is_answered_in_the_web_and_the_sender_sees_the_reactie(hub, new_context):
    base, users = hub
    corporatie = new_context().new_page()
    login(corporatie, base, *_user(users, "ymere"))
    corporatie.goto(base + "/signalen/nieuw")
    accessible(corporatie)
    screenshot(corporatie, "nieuw-signaal")
    _send_signaal(corporatie, base)
    assert "/berichten/" in corporatie.url, corporatie.content()[:2000]
    assert "Meldpunt Zorg en Woonoverlast Centrum" in corporatie.content()
    accessible(corporatie)

    meldpunt = new_context().new_page()
    login(meldpunt, base, *_user(users, "mzwo-centrum"))
    _open_first_inbox_item(meldpunt, base, "Signaal")
    meldpunt.goto(base + "/inbox")
    accessible(meldpunt)
    screenshot(meldpunt, "inbox")
    _open_first_inbox_item(meldpunt, base, "Signaal")
    assert "Harde muziek na middernacht" in meldpunt.content()
    accessible(meldpunt)
    screenshot(meldpunt, "bericht")
    meldpunt.get_by_label("Status").select_option("klager_benaderd")
    meldpunt.get_by_label("Toelichting").fill("Wij hebben de klager gebeld.")
    meldpunt.get_by_role("button", name="Reactie versturen").click()
    meldpunt.wait_for_load_state()
    assert "Uw reactie is verstuurd." in meldpunt.content()

    _open_first_inbox_item(corporatie, base, "Reactie op signaal")
    assert "Klager benaderd" in corporatie.content() or "klager benaderd" in corporatie.content()
    assert "Wij hebben de klager gebeld." in corporatie.content()
    accessible(corporatie)


def test_a_bsn_typed_into_a_signaal_is_refused_at_its_field_and_not_in_the_page(hub, new_context):
    base, users = hub
    page = new_context().new_page()
    login(page, base, *_user(users, "eigen-haard"))
    _send_signaal(page, base, f"De bewoner (BSN {BSN}) maakt elke nacht lawaai.")
    assert "/signalen/nieuw" in page.url
    field = page.get_by_label("Omschrijving")
    assert field.get_attribute("aria-invalid") == "true"
    assert "Dit veld lijkt een BSN te bevatten" in page.locator("#omschrijving-fout").inner_text()
    assert page.get_by_role("alert").count() == 1  # the summary, linking to the field
    assert BSN not in page.content() and field.input_value() == ""
    accessible(page)
    screenshot(page, "signaal-met-bsn")


def test_a_form_posted_without_its_csrf_token_is_refused(hub, new_context):
    base, users = hub
    page = new_context().new_page()
    login(page, base, *_user(users, "rochdale"))
    page.goto(base + "/signalen/nieuw")
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    _fill_and_submit_without_reload = page.get_by_role("button", name="Signaal versturen")
    _fill_and_submit_without_reload.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Ongeldig verzoek"
    assert "Het formulier is verlopen of ongeldig" in page.content()


def test_a_user_of_another_tenant_gets_404_for_a_message_url(hub, new_context):
    base, users = hub
    sender = new_context().new_page()
    login(sender, base, *_user(users, "stadgenoot"))
    _send_signaal(sender, base, "Stank uit de woning op nummer 7.")
    meldpunt = new_context().new_page()
    login(meldpunt, base, *_user(users, "mzwo-centrum"))
    url = _open_first_inbox_item(meldpunt, base, "Signaal")
    assert re.search(r"/inbox/[0-9a-f-]{36}$", url)

    other = new_context().new_page()
    login(other, base, *_user(users, "arkin"))
    response = other.goto(url)
    assert response.status == 404
    assert other.get_by_role("heading", level=1).inner_text() == "Niet gevonden"
    accessible(other)


def test_logout_ends_the_session(hub, new_context):
    base, users = hub
    context = new_context()
    page = context.new_page()
    login(page, base, *_user(users, "de-key"))
    cookies = context.cookies()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_load_state()
    assert "U bent uitgelogd." in page.content()
    page.goto(base + "/inbox")
    assert "/login" in page.url
    replay = new_context()
    replay.add_cookies(cookies)  # the old cookie no longer opens anything
    again = replay.new_page()
    again.goto(base + "/inbox")
    assert "/login" in again.url


def test_a_regiecheck_asked_in_the_web_is_answered_by_two_partners_and_the_board_shows_both(
        hub, new_context):
    base, users = hub
    meldpunt = new_context().new_page()
    login(meldpunt, base, *_user(users, "mzwo-centrum"))
    meldpunt.goto(base + "/regiechecks/nieuw")
    accessible(meldpunt)
    assert meldpunt.get_by_label("Politie Eenheid Amsterdam").is_checked()
    assert not meldpunt.get_by_label("Cordaan (per geval)").is_checked()
    meldpunt.get_by_label("Achternaam").fill("Jansen")
    meldpunt.get_by_label("Geboortedatum").fill("1980-04-01")
    meldpunt.get_by_label("Soort", exact=True).select_option("overlast")
    screenshot(meldpunt, "regiecheck-starten")
    meldpunt.get_by_role("button", name="Partners bevragen").click()
    meldpunt.wait_for_load_state()
    board = meldpunt.url
    assert "/regiechecks/" in board and "De regiecheck is gestart" in meldpunt.content()

    for tenant, known in (("politie-amsterdam", True), ("ggd-amsterdam", False)):
        page = new_context().new_page()
        login(page, base, *_user(users, tenant))
        for _ in range(100):  # the question is delivered in the background
            page.goto(base + "/regiechecks/gevraagd")
            link = page.get_by_role("link", name="Meldpunt Zorg en Woonoverlast Centrum")
            if link.count():
                break
            page.wait_for_timeout(200)
        accessible(page)
        link.first.click()
        page.wait_for_load_state()
        accessible(page)
        if known:
            screenshot(page, "regiecheck-beantwoorden")
            page.get_by_label("Ja, bekend").check()
            page.get_by_label("Naam contactpersoon").fill("A. de Vries")
            page.get_by_label("Functie").fill("Wijkagent")
        else:
            page.get_by_label("Nee, niet bekend").check()
        page.get_by_role("button", name="Antwoord versturen").click()
        page.wait_for_load_state()
        assert "Uw antwoord is verstuurd." in page.content()

    meldpunt.goto(board)
    politie = meldpunt.get_by_role("row", name=re.compile("Politie Eenheid Amsterdam"))
    ggd = meldpunt.get_by_role("row", name=re.compile("GGD Amsterdam"))
    assert "bekend" in politie.inner_text() and "A. de Vries" in politie.inner_text()
    assert "niet bekend" in ggd.inner_text()
    accessible(meldpunt)
    screenshot(meldpunt, "regiecheck-bord")
