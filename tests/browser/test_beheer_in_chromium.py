"""The admin pages in a real browser (Debian's Chromium), axe-core on every page: a tenant
admin issues an API key (shown once, never again), creates a webhook koppeling, sends a test
ping, sees the dead delivery and its attempts, redrives it and sees the alert; a hub admin
creates organisations and adds one to a network while a second, stale editor is refused and
loses nothing; a hub admin changes a network's termijnen and a stale area change keeps what was
typed; a tenant admin opens a user's roles; a medewerker gets the 403 page."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import served_hub
from tests.browser.pages import accessible, logged_in, login, screenshot, send_signaal
from tests.browser.pages import user_of as _user
from tests.contract.conftest import WebhookReceiver

pytestmark = pytest.mark.browser

NETWORK = "/beheer/netwerken/amsterdam-mzwo"


@pytest.fixture(scope="module")
def admin_hub(tmp_path_factory):
    """A served demo hub whose koppelingen may point at this machine (the test's receiver)."""
    yield from served_hub(tmp_path_factory, KETENHUB_ALLOW_LOOPBACK_ENDPOINTS="true")


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state()
    accessible(page)


def test_a_tenant_admin_issues_a_key_pings_a_webhook_and_redrives_a_dead_delivery(
        admin_hub, new_context):
    base, users = admin_hub
    admin = new_context().new_page()
    login(admin, base, *_user(users, "mzwo-centrum", "beheer"), check=True)
    _open(admin, base + "/beheer")
    assert admin.get_by_role("link", name="API-sleutels").count()

    _open(admin, base + "/beheer/gebruikers")
    admin.get_by_label("Naam", exact=True).fill("Nieuwe Collega")
    admin.get_by_label("E-mailadres").fill("nieuw@centrum.example")
    admin.get_by_label("Gebruikersnaam").fill("nieuwe.collega")
    admin.get_by_role("button", name="Gebruiker aanmaken").click()
    admin.wait_for_load_state()
    accessible(admin)  # refused: no role ticked, the error at its field and in the summary
    assert "Kies ten minste één rol." in admin.locator("#rollen-fout").inner_text()
    admin.get_by_label("Medewerker (inbox, signalen, regiechecks, zaken)").check()
    admin.get_by_role("button", name="Gebruiker aanmaken").click()
    admin.wait_for_load_state()
    accessible(admin)
    assert admin.locator("#eenmalig-wachtwoord").inner_text()

    _open(admin, base + "/beheer/sleutels")
    admin.get_by_label("Naam", exact=True).fill("Zaaksysteem")
    admin.get_by_label("Berichten ontvangen (messages:receive)").check()
    admin.get_by_role("button", name="Sleutel uitgeven").click()
    admin.wait_for_load_state()
    accessible(admin)
    secret = admin.locator("#nieuwe-sleutel").inner_text()
    assert secret and "nooit meer getoond" in admin.content()
    screenshot(admin, "beheer-sleutel-uitgegeven")
    _open(admin, base + "/beheer/sleutels")
    assert secret not in admin.content() and "Zaaksysteem" in admin.content()

    with WebhookReceiver() as receiver:
        _open(admin, base + "/beheer/koppelingen")
        admin.get_by_label("Soort koppeling").select_option("webhook")
        admin.get_by_label("Adres", exact=True).fill(receiver.url("/status/500"))
        admin.locator('input[name="types"][value="nl.ketenhub.signaal.v1"]').check()
        admin.get_by_label("Aantal pogingen (niet verplicht)").fill("1")
        admin.get_by_role("button", name="Koppeling aanmaken").click()
        admin.wait_for_load_state()
        accessible(admin)
        assert admin.locator("#webhook-geheim").inner_text().startswith("whsec_")
        admin.get_by_role("button", name="Testbericht sturen").click()
        admin.wait_for_load_state()
        accessible(admin)
        assert "HTTP 500" in admin.locator("#testresultaat").inner_text()
        screenshot(admin, "beheer-koppeling-test")

        send_signaal(logged_in(new_context, admin_hub, "ymere"), base, "7",
                     "Harde muziek na middernacht.")

        redrive = admin.get_by_role("button", name=re.compile("Opnieuw aanbieden aflevering"))
        for _ in range(150):  # bounded: at most ~30 s
            admin.goto(base + "/beheer/mislukte-berichten")
            if redrive.count():
                break
            admin.wait_for_timeout(200)
        accessible(admin)
        screenshot(admin, "beheer-mislukte-berichten")
        admin.get_by_role("link", name=re.compile("pogingen van aflevering")).first.click()
        admin.wait_for_load_state()
        accessible(admin)
        assert "mislukt, nieuwe poging" in admin.content()
        _open(admin, base + "/beheer/mislukte-berichten")
        redrive.first.click()
        admin.wait_for_load_state()
        accessible(admin)
        assert "opnieuw aangeboden" in admin.content()
        _open(admin, base + "/beheer")
        assert "Bericht niet afgeleverd" in admin.content()
        screenshot(admin, "beheer-start")


def test_a_hub_admin_adds_a_party_and_a_stale_editor_loses_nothing(admin_hub, new_context):
    base, users = admin_hub
    context = new_context()
    first = context.new_page()
    login(first, base, "hubbeheer", users["ketenhub"]["hubbeheer"], check=True)
    _open(first, base + "/beheer/organisaties")
    for tenant_id, name in (("ggd-zaanstreek", "GGD Zaanstreek"),
                            ("politie-zaanstad", "Politie Zaanstad")):
        first.get_by_label("Id", exact=True).fill(tenant_id)
        first.get_by_label("Naam", exact=True).fill(name)
        first.get_by_label("Soort organisatie").select_option(
            "ggd" if "ggd" in tenant_id else "politie")
        first.get_by_label("KvK-nummer (niet verplicht)").fill(
            "40000001" if "ggd" in tenant_id else "40000002")
        first.get_by_role("button", name="Organisatie aanmaken").click()
        first.wait_for_load_state()
        accessible(first)
        assert f"De organisatie {name} is aangemaakt." in first.content()
    _open(first, base + "/beheer/netwerken")
    second = context.new_page()  # a second editor, same network page, read now
    _open(second, base + NETWORK)
    _open(first, base + NETWORK)
    first.get_by_label("Organisatie", exact=True).select_option("ggd-zaanstreek")
    first.get_by_label("Rol in het convenant").fill("ggd")
    first.get_by_role("button", name="Partij toevoegen").click()
    first.wait_for_load_state()
    accessible(first)
    assert "GGD Zaanstreek is partij geworden" in first.content()

    second.get_by_label("Organisatie", exact=True).select_option("politie-zaanstad")
    second.get_by_label("Rol in het convenant").fill("politie")
    second.get_by_label("Partij vanaf (niet verplicht)").fill("2027-01-01")
    second.get_by_role("button", name="Partij toevoegen").click()
    second.wait_for_load_state()
    accessible(second)
    assert "Iemand anders heeft dit netwerk intussen gewijzigd" in second.content()
    assert second.get_by_role("row", name=re.compile("GGD Zaanstreek")).count() == 1
    assert second.get_by_label("Rol in het convenant").input_value() == "politie"
    assert second.get_by_label("Partij vanaf (niet verplicht)").input_value() == "2027-01-01"
    assert second.get_by_label("Organisatie", exact=True).input_value() == "politie-zaanstad"
    screenshot(second, "beheer-netwerk-verouderd")
    second.get_by_role("button", name="Partij toevoegen").click()  # again, on the current one
    second.wait_for_load_state()
    accessible(second)
    assert "Politie Zaanstad is partij geworden" in second.content()
    assert second.get_by_role("row", name=re.compile("GGD Zaanstreek")).count() == 1


def test_a_hub_admin_changes_termijnen_and_a_stale_area_change_keeps_its_input(admin_hub,
                                                                               new_context):
    base, users = admin_hub
    context = new_context()
    first = context.new_page()
    login(first, base, "hubbeheer", users["ketenhub"]["hubbeheer"], check=True)
    second = context.new_page()  # a second editor, read before the first one saves
    _open(second, base + NETWORK)
    _open(first, base + NETWORK)
    first.locator("#regiecheck").fill("99")
    first.get_by_role("button", name="Termijnen opslaan").click()
    first.wait_for_load_state()
    accessible(first)  # refused at its field, in Dutch
    assert "buiten wat is toegestaan" in first.locator("#regiecheck-fout").inner_text()
    first.locator("#regiecheck").fill("4")
    first.get_by_role("button", name="Termijnen opslaan").click()
    first.wait_for_load_state()
    accessible(first)
    assert "De termijnen zijn opgeslagen." in first.content()
    assert first.locator("#regiecheck").input_value() == "4"

    typed = str(int(second.locator("#gebieden-0-pc4_tot").input_value()) - 1)
    second.locator("#gebieden-0-pc4_tot").fill(typed)
    second.get_by_role("button", name="Gebieden opslaan").click()
    second.wait_for_load_state()
    accessible(second)
    assert "Niet opgeslagen" in second.content()
    assert second.locator("#gebieden-0-pc4_tot").input_value() == typed  # nothing typed lost
    assert second.locator("#regiecheck").input_value() == "4"  # the current network is shown
    screenshot(second, "beheer-netwerk-gebieden-verouderd")


def test_a_tenant_admin_opens_a_users_roles_and_an_empty_choice_is_refused(admin_hub,
                                                                           new_context):
    base, users = admin_hub
    admin = new_context().new_page()
    login(admin, base, *_user(users, "mzwo-centrum", "beheer"))
    _open(admin, base + "/beheer/gebruikers")
    assert admin.get_by_role("columnheader", name="Tweede factor").count() == 1
    admin.get_by_role("link", name=re.compile("Rollen wijzigen")).first.click()
    admin.wait_for_load_state()
    accessible(admin)
    for box in admin.get_by_role("checkbox").all():
        box.uncheck()
    admin.get_by_role("button", name="Rollen opslaan").click()
    admin.wait_for_load_state()
    accessible(admin)
    assert "Kies ten minste één rol." in admin.locator("#rollen-fout").inner_text()


def test_a_medewerker_gets_the_403_page_on_admin_pages(admin_hub, new_context):
    base, _ = admin_hub
    page = logged_in(new_context, admin_hub, "arkin")
    for path in ("/beheer", "/beheer/sleutels", NETWORK):
        response = page.goto(base + path)
        assert response.status == 403
        accessible(page)
        assert "Geen toegang" in page.content()
