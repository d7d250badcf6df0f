"""The web in a real browser (Debian's Chromium): login with and without the second factor,
a regiecheck asked in the web and answered by two partners in the web, the question's message
page and another tenant's 404, CSRF, logout; axe-core on every page; screenshots for the
README. (Nieuw signaal with a BSN, reageren, zaken and termijnen: test_daily_work_in_chromium.py.)"""

from __future__ import annotations

import re

import pytest

from tests.browser.pages import accessible, login, screenshot
from tests.browser.pages import user_of as _user

pytestmark = pytest.mark.browser

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


def test_a_form_posted_without_its_csrf_token_is_refused(hub, new_context):
    base, users = hub
    page = new_context().new_page()
    login(page, base, *_user(users, "rochdale"))
    page.goto(base + "/signalen/nieuw")
    accessible(page)
    screenshot(page, "nieuw-signaal")
    page.evaluate("document.querySelectorAll('input[name=csrf_token]').forEach(e => e.remove())")
    page.get_by_role("button", name="Signaal versturen").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Ongeldig verzoek"
    assert "Het formulier is verlopen of ongeldig" in page.content()
    accessible(page)


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

    meldpunt.goto(base + "/regiechecks")  # the meldpunt's list of its regiechecks
    assert meldpunt.get_by_role("link", name=re.compile(r"\d{4}")).count() >= 1
    accessible(meldpunt)
    meldpunt.goto(board)
    screenshot(meldpunt, "regiecheck-bord")
    politie = meldpunt.get_by_role("row", name=re.compile("Politie Eenheid Amsterdam"))
    ggd = meldpunt.get_by_role("row", name=re.compile("GGD Amsterdam"))
    assert "bekend" in politie.inner_text() and "A. de Vries" in politie.inner_text()
    assert "niet bekend" in ggd.inner_text()
    accessible(meldpunt)

    # The question in the politie's inbox: its message page, and another tenant gets 404.
    politie_page = new_context().new_page()
    login(politie_page, base, *_user(users, "politie-amsterdam"))
    politie_page.goto(base + "/inbox")
    accessible(politie_page)
    screenshot(politie_page, "inbox")
    politie_page.get_by_role("link", name="Regiecheck-vraag").first.click()
    politie_page.wait_for_load_state()
    message_url = politie_page.url
    assert re.search(r"/inbox/[0-9a-f-]{36}$", message_url)
    assert "Jansen" in politie_page.content()
    assert politie_page.get_by_role("link", name="Regiecheck beantwoorden").count() == 1
    accessible(politie_page)
    screenshot(politie_page, "bericht")
    other = new_context().new_page()
    login(other, base, *_user(users, "arkin"))
    response = other.goto(message_url)
    assert response.status == 404
    assert other.get_by_role("heading", level=1).inner_text() == "Niet gevonden"
    accessible(other)
