"""The admin pages (Beheer) on a real database through Flask's test client: API keys (shown
once), users, koppelingen with a test ping, dead deliveries redriven, alerts, organisaties, and
a network's party added with a version check; roles and tenants kept apart."""

from __future__ import annotations

import re

import pytest

from tenants.model import Principal, Role, Scope, TenantKind
from tests.contract.conftest import WebhookReceiver
from tests.integration.pipeline import wait_until
from tests.integration.web import PASSWORD, Browser, person, web_world

ADMIN_PAGES = ("/beheer", "/beheer/gebruikers", "/beheer/sleutels", "/beheer/koppelingen",
               "/beheer/mislukte-berichten")
HUB_PAGES = ("/beheer/organisaties", "/beheer/netwerken", "/beheer/netwerken/west")


@pytest.fixture
def ww(database_url, tmp_path):
    w = web_world(database_url, tmp_path)
    w.people["beheer"] = person(w, "mzwo-west", "beheer.west", {Role.TENANT_ADMIN}, totp=True)
    w.people["beheer-cordaan"] = person(w, "cordaan", "beheer.cordaan", {Role.TENANT_ADMIN},
                                        totp=True)
    w.people["hub"] = person(w, "ketenhub", "hub.beheer", {Role.HUB_ADMIN}, totp=True)
    yield w
    w.runtime.stop()
    w.container.close()


def _as(ww, who: str) -> Browser:
    b = Browser(ww.app)
    assert b.login(ww.people[who]).status_code == 302
    return b


def test_a_key_is_shown_once_works_on_the_api_and_is_revoked(ww):
    b = _as(ww, "beheer")
    r = b.post("/beheer/sleutels", {"naam": "Zaaksysteem", "scopes": ["messages:receive"]})
    assert r.status_code == 200
    secret = re.search(r'<code id="nieuwe-sleutel">([^<]+)</code>', b.html).group(1)
    api = ww.client.get("/api/v1/inbox", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    page = b.get("/beheer/sleutels").get_data(as_text=True)
    assert secret not in page and "Zaaksysteem" in page
    assert re.search(r"Zaaksysteem</th>.*?<time", page, re.S)  # last used is shown
    key_id = re.search(r'/beheer/sleutels/([^/]+)/intrekken', page).group(1)
    b.post(f"/beheer/sleutels/{key_id}/intrekken?organisatie=mzwo-west", {},
           token_from="/beheer/sleutels")
    assert b.last.status_code == 302
    assert ww.client.get("/api/v1/inbox", headers={"Authorization": f"Bearer {secret}"}
                         ).status_code == 401


def test_a_key_without_scopes_is_refused_at_its_field(ww):
    b = _as(ww, "beheer")
    r = b.post("/beheer/sleutels", {"naam": "Leeg"})
    assert r.status_code == 422
    assert 'id="scopes-fout"' in b.html and "Kies ten minste één recht." in b.html
    assert "Er is iets niet goed ingevuld" in b.html


def test_a_new_user_logs_in_with_the_one_time_password_and_the_second_factor_is_reset(ww):
    b = _as(ww, "beheer")
    r = b.post("/beheer/gebruikers", {"naam": "Nieuwe Collega", "email": "nc@west.example",
                                      "gebruikersnaam": "nieuwe.collega",
                                      "rollen": ["medewerker"]})
    assert r.status_code == 200
    password = re.search(r'<code id="eenmalig-wachtwoord">([^<]+)</code>', b.html).group(1)
    assert password not in b.get("/beheer/gebruikers").get_data(as_text=True)
    newcomer = Browser(ww.app)
    r = newcomer.post("/login", {"username": "nieuwe.collega", "password": password})
    assert r.status_code == 302 and newcomer.get("/inbox").status_code == 200
    taken = b.post("/beheer/gebruikers", {"naam": "Ander", "email": "a@west.example",
                                          "gebruikersnaam": "nieuwe.collega",
                                          "rollen": ["medewerker"]})
    assert taken.status_code == 422 and 'id="gebruikersnaam-fout"' in b.html
    with ww.container.uow() as uow:
        assert not [e for e in uow.audit.list(action="user.created")
                    if e["facts"] and "a@west.example" in str(e)]
    admin = ww.people["beheer"]
    b.post(f"/beheer/gebruikers/{admin.user_id}/tweede-factor", {},
           token_from="/beheer/gebruikers")
    assert b.last.status_code == 302
    with ww.container.uow() as uow:
        assert uow.audit.list(action="web.second_factor_reset")


def test_a_bsn_in_a_users_name_is_refused_and_not_echoed(ww):
    b = _as(ww, "beheer")
    r = b.post("/beheer/gebruikers", {"naam": "Jan 111222333", "email": "j@west.example",
                                      "gebruikersnaam": "jan.bsn", "rollen": ["medewerker"]})
    assert r.status_code == 422
    assert "111222333" not in b.html and 'id="naam-fout"' in b.html


def test_a_webhook_is_created_pinged_and_its_dead_delivery_redriven(ww):
    b = _as(ww, "beheer")
    with WebhookReceiver() as receiver:
        r = b.post("/beheer/koppelingen", {"soort": "webhook", "adres": receiver.url("/status/500"),
                                           "types": ["nl.ketenhub.signaal.v1"],
                                           "max_attempts": "1"})
        assert r.status_code == 200 and 'id="webhook-geheim"' in b.html
        secret = re.search(r'<code id="webhook-geheim">([^<]+)</code>', b.html).group(1)
        endpoint_id = re.search(r'/beheer/koppelingen/([0-9a-f-]+)/test', b.html).group(1)
        page = f"/beheer/koppelingen/{endpoint_id}"
        assert secret not in b.get(page).get_data(as_text=True)
        b.post(f"{page}/test?organisatie=mzwo-west", {}, token_from=page)
        assert b.last.status_code == 200 and 'id="testresultaat"' in b.html
        assert "Mislukt, tijdelijk" in b.html and "HTTP 500" in b.html

        mw = _as(ww, "eigen-haard")
        mw.post("/signalen/nieuw", {
            "soort": "overlast", "categorieen": ["geluid"], "postcode": "1053 AB",
            "huisnummer": "12", "omschrijving": "Harde muziek na middernacht.",
            "waargenomen_op": "2026-11-20", "melder_type": "omwonende", "urgentie": "normaal",
            "kenmerk_afzender": "EH-9"})
        assert mw.last.status_code == 302

        def dead():
            html = b.get("/beheer/mislukte-berichten").get_data(as_text=True)
            return re.search(r'/beheer/mislukte-berichten/([0-9a-f-]{36})/opnieuw', html)

        delivery_id = wait_until(dead).group(1)
        attempts = b.get(f"/beheer/mislukte-berichten/{delivery_id}").get_data(as_text=True)
        assert "mislukt, nieuwe poging" in attempts and "500" in attempts
        # the alert of the dead delivery is on the admin start page
        wait_until(lambda: "Bericht niet afgeleverd" in b.get("/beheer").get_data(as_text=True))
        b.post(f"/beheer/mislukte-berichten/{delivery_id}/opnieuw", {},
               token_from="/beheer/mislukte-berichten")
        assert b.last.status_code == 302
        assert "opnieuw aangeboden" in b.get("/beheer/mislukte-berichten").get_data(as_text=True)
        with ww.container.uow() as uow:
            assert uow.deliveries.get(delivery_id).redrives == 1
        retrying = b.get("/beheer/mislukte-berichten?status=retrying").get_data(as_text=True)
        assert re.search(r'status=retrying" aria-current="page">Nieuwe poging volgt', retrying)
        assert "Opnieuw aanbieden" not in retrying  # only a dead delivery is offered again


def test_an_endpoint_change_sends_only_what_changed_and_disabling_stops_it(ww):
    b = _as(ww, "beheer")
    with WebhookReceiver() as receiver:
        url = receiver.url("/ok")
        r = b.post("/beheer/koppelingen", {"soort": "webhook", "adres": url})
        assert r.status_code == 200, b.html
        endpoint_id = re.search(r'/beheer/koppelingen/([0-9a-f-]+)/test', b.html).group(1)
        page = f"/beheer/koppelingen/{endpoint_id}"
        bad = b.post(f"{page}?organisatie=mzwo-west", {"adres": "http://intern",
                                                       "max_attempts": "3"}, token_from=page)
        assert bad.status_code == 422 and 'id="adres-fout"' in b.html
        assert "http://intern" not in b.html
        ok = b.post(f"{page}?organisatie=mzwo-west", {"adres": url, "max_attempts": "3"},
                    token_from=page)
        assert ok.status_code == 302
        with ww.container.uow() as uow:
            changes = uow.audit.list(action="endpoint.changed")
        assert changes and "url" not in str(changes[-1]["facts"])  # the address stayed
        b.post(f"{page}/uitschakelen?organisatie=mzwo-west", {}, token_from=page)
        assert "uitgeschakeld door een beheerder" in b.get(page).get_data(as_text=True)


def test_a_medewerker_gets_403_on_every_admin_page(ww):
    b = _as(ww, "eigen-haard")
    for path in ADMIN_PAGES + HUB_PAGES:
        assert b.get(path).status_code == 403, path
        assert "Geen toegang" in b.html


def test_a_tenant_admin_cannot_open_the_hub_admin_pages(ww):
    b = _as(ww, "beheer")
    for path in HUB_PAGES:
        assert b.get(path).status_code == 403, path
    for path in ADMIN_PAGES:
        assert b.get(path).status_code == 200, path


def test_another_tenants_keys_users_and_koppelingen_answer_404(ww):
    system = Principal.system()
    key, _ = ww.container.keys.issue(system, "cordaan", name="cordaan-sleutel",
                                     scopes=frozenset({Scope.MESSAGES_RECEIVE}))
    endpoint, _ = ww.container.endpoints.create(system, "cordaan", connector="webhook",
                                                config={"url": "https://127.0.0.1:9/h"})
    b = _as(ww, "beheer")
    for path in ("/beheer/sleutels", "/beheer/gebruikers", "/beheer/koppelingen"):
        assert b.get(f"{path}?organisatie=cordaan").status_code == 404, path
        assert "cordaan-sleutel" not in b.html
    assert b.get(f"/beheer/koppelingen/{endpoint.id}").status_code == 404
    assert b.get(f"/beheer/koppelingen/{endpoint.id}?organisatie=cordaan").status_code == 404
    r = b.post(f"/beheer/sleutels/{key.id}/intrekken", {}, token_from="/beheer/sleutels")
    assert r.status_code == 404
    assert ww.container.keys.list(system, "cordaan").items[0].revoked_at is None


def test_admin_forms_need_their_csrf_token(ww):
    b = _as(ww, "beheer")
    r = b.post("/beheer/sleutels", {"naam": "x", "scopes": ["admin"]}, csrf=False)
    assert r.status_code == 400
    assert not ww.container.keys.list(Principal.system(), "mzwo-west").items


def test_the_hub_admin_creates_and_suspends_an_organisation(ww):
    b = _as(ww, "hub")
    r = b.post("/beheer/organisaties", {"id": "ggd-west", "naam": "GGD West", "soort": "ggd",
                                        "kvk": "30000009"})
    assert r.status_code == 302
    assert "GGD West" in b.get("/beheer/organisaties").get_data(as_text=True)
    again = b.post("/beheer/organisaties", {"id": "ggd-west", "naam": "Dubbel", "soort": "ggd"})
    assert again.status_code == 422 and 'id="id-fout"' in b.html
    b.post("/beheer/organisaties/ggd-west/schorsen", {}, token_from="/beheer/organisaties")
    assert not ww.container.tenants.get(Principal.system(), "ggd-west").is_active
    assert b.get("/beheer/gebruikers?organisatie=ggd-west").status_code == 200


def test_a_party_is_added_and_a_stale_second_editor_is_refused_without_losing_input(ww):
    system = Principal.system()
    ww.container.tenants.create(system, tenant_id="ggd-west", name="GGD West", kind=TenantKind.GGD,
                                kvk="30000009")
    ww.container.tenants.create(system, tenant_id="politie-west", name="Politie West",
                                kind=TenantKind.POLITIE, kvk="30000010")
    first, second = _as(ww, "hub"), Browser(ww.app)
    second.client.set_cookie("ketenhub_sessie", first.client.get_cookie("ketenhub_sessie").value,
                             domain="localhost")
    page = "/beheer/netwerken/west"
    assert first.get(page).status_code == 200 and "Termijnen" in first.html
    assert "Convenant West" in first.html and "1051–1058" in first.html
    stale_page = second.get(page).get_data(as_text=True)
    version = re.search(r'name="versie"[^>]*value="([^"]+)"', stale_page).group(1)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', stale_page).group(1)
    r = first.post(page, {"organisatie": "ggd-west", "rol": "ggd", "versie": version})
    assert r.status_code == 302
    # the second editor's page still carries the old version
    r = second.client.post(page, base_url="https://localhost", data={
        "csrf_token": token, "versie": version, "organisatie": "politie-west", "rol": "politie",
        "geldig_vanaf": "2027-01-01"}, headers={"Referer": "https://localhost" + page})
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and "Iemand anders heeft dit netwerk intussen gewijzigd" in html
    assert 'value="politie"' in html and 'value="2027-01-01"' in html  # nothing typed is lost
    assert re.search(r'<option selected value="politie-west">|<option value="politie-west" '
                     r'selected', html)
    network = ww.container.networks.get(system, "west")
    assert network.party_ids() == {"mzwo-west", "eigen-haard", "cordaan", "ggd-west"}
    assert "GGD West" in html  # the current network is shown
    new_version = re.search(r'name="versie"[^>]*value="([^"]+)"', html).group(1)
    assert new_version != version
    r = second.client.post(page, base_url="https://localhost", data={
        "csrf_token": token, "versie": new_version, "organisatie": "politie-west",
        "rol": "politie"}, headers={"Referer": "https://localhost" + page})
    assert r.status_code == 302
    assert "politie-west" in ww.container.networks.get(system, "west").party_ids()


def test_login_with_password_only_does_not_open_admin_pages(ww):
    b = Browser(ww.app)
    r = b.post("/login", {"username": "beheer.west", "password": PASSWORD})
    assert r.headers["Location"].startswith("/login/tweede-factor")
    assert b.get("/beheer/sleutels").status_code == 302


def test_a_party_is_removed_only_on_the_current_version_and_not_while_it_holds_an_area(ww):
    b = _as(ww, "hub")
    page = "/beheer/netwerken/west"
    html = b.get(page).get_data(as_text=True)
    version = re.search(r'name="versie"[^>]*value="([^"]+)"', html).group(1)
    assert "Standaard regiecheck-lijst" in html and "Toewijzingsadvies" in html
    stale = b.post(f"{page}/partijen/cordaan/verwijderen", {"versie": "0" * 20},
                   token_from=page)
    assert stale.status_code == 409 and "Niet opgeslagen" in b.html
    blank = b.post(f"{page}/partijen/cordaan/verwijderen", {}, token_from=page)
    assert blank.status_code == 409  # no version: refused as well
    held = b.post(f"{page}/partijen/mzwo-west/verwijderen", {"versie": version},
                  token_from=page)
    assert held.status_code == 409 and "heeft nog een gebied" in b.html
    assert ww.container.networks.get(Principal.system(), "west").party_ids() == {
        "mzwo-west", "eigen-haard", "cordaan"}
    done = b.post(f"{page}/partijen/cordaan/verwijderen", {"versie": version}, token_from=page)
    assert done.status_code == 302
    assert "cordaan" not in ww.container.networks.get(Principal.system(), "west").party_ids()
    with ww.container.uow() as uow:
        assert [e["facts"]["tenant_id"] for e in uow.audit.list(action="network.party_removed")
                ] == ["cordaan"]


def test_a_tenant_admin_changes_a_users_roles_and_sees_who_has_a_second_factor(ww):
    anna = person(ww, "mzwo-west", "anna.west", {Role.MEDEWERKER})
    b = _as(ww, "beheer")
    html = b.get("/beheer/gebruikers").get_data(as_text=True)
    assert "Tweede factor" in html and "niet ingesteld" in html and ">ingesteld<" in html
    page = f"/beheer/gebruikers/{anna.user_id}/rollen"
    assert b.get(page).status_code == 200 and re.search(r'<input checked[^>]*value="medewerker"', b.html)
    empty = b.post(page, {})
    assert empty.status_code == 422 and 'id="rollen-fout"' in b.html
    r = b.post(page, {"rollen": ["medewerker", "privacy_officer"]})
    assert r.status_code == 302
    user = ww.container.users.list(Principal.system(), "mzwo-west").items
    assert next(u for u in user if u.id == anna.user_id).roles == {
        Role.MEDEWERKER, Role.PRIVACY_OFFICER}
    with ww.container.uow() as uow:
        entry = uow.audit.list(action="user.roles_changed")[-1]
    assert entry["subject_id"] == anna.user_id and entry["facts"]["roles"] == [
        "medewerker", "privacy_officer"]


def test_another_tenants_admin_cannot_change_a_users_roles(ww):
    cordaan = ww.people["beheer-cordaan"]
    b = _as(ww, "beheer")
    page = f"/beheer/gebruikers/{cordaan.user_id}/rollen"
    assert b.get(page).status_code == 404
    assert b.get(page + "?organisatie=cordaan").status_code == 404
    r = b.post(page, {"rollen": ["medewerker"]}, token_from="/beheer/gebruikers")
    assert r.status_code == 404
    users = ww.container.users.list(Principal.system(), "cordaan").items
    assert next(u for u in users if u.id == cordaan.user_id).roles == {Role.TENANT_ADMIN}
    medewerker = _as(ww, "eigen-haard")
    assert medewerker.get(page).status_code == 403


def _version(html: str) -> str:
    return re.search(r'name="versie"[^>]*value="([^"]+)"', html).group(1)


def test_a_networks_areas_regiecheck_list_and_termijnen_are_changed_in_parts_and_audited(ww):
    system = Principal.system()
    b = _as(ww, "hub")
    page = "/beheer/netwerken/west"
    version = _version(b.get(page).get_data(as_text=True))
    assert 'value="1058"' in b.html and "Gebieden opslaan" in b.html
    r = b.post(f"{page}/gebieden", {
        "versie": version, "gebieden-0-meldpunt": "mzwo-west", "gebieden-0-pc4_van": "1051",
        "gebieden-0-pc4_tot": "1059", "gebieden-0-coordinator": "cordaan",
        "gebieden-1-meldpunt": "", "gebieden-1-pc4_van": "", "gebieden-1-pc4_tot": ""},
        token_from=page)
    assert r.status_code == 302
    network = ww.container.networks.get(system, "west")
    assert [(a.tenant_id, a.pc4_from, a.pc4_to, a.veiligheidscoordinator) for a in network.areas
            ] == [("mzwo-west", 1051, 1059, "cordaan")]
    assert network.party_ids() == {"mzwo-west", "eigen-haard", "cordaan"}  # the rest is kept
    version = _version(b.get(page).get_data(as_text=True))
    r = b.post(f"{page}/termijnen", {
        "versie": version, "regiecheck": "5", "termijnen-0-flow": "signaal_zorgaanbieder",
        "termijnen-0-werkdagen": "3", "termijnen-1-flow": "toewijzing",
        "termijnen-1-werkdagen": "2"}, token_from=page)
    assert r.status_code == 302
    network = ww.container.networks.get(system, "west")
    assert network.regiecheck_termijn_werkdagen == 5
    assert {t.flow: t.werkdagen for t in network.termijnen} == {
        "signaal_zorgaanbieder": 3, "toewijzing": 2}
    assert network.termijnen[0].gehaald_door  # what the form does not show is kept
    version = _version(b.get(page).get_data(as_text=True))
    r = b.post(f"{page}/regiecheck-lijst", {
        "versie": version, "partners-0-partner": "t:cordaan", "partners-0-wijze": "per_geval",
        "partners-1-partner": "k:woningcorporatie", "partners-1-wijze": "standaard"},
        token_from=page)
    assert r.status_code == 302
    partners = ww.container.networks.get(system, "west").regiecheck_partners
    assert [(p.tenant_id, p.tenant_kind, p.standaard) for p in partners] == [
        ("cordaan", None, False), (None, TenantKind.WONINGCORPORATIE, True)]
    with ww.container.uow() as uow:
        assert len(uow.audit.list(action="network.changed")) == 3  # as the API's PUT


def test_a_stale_part_is_refused_with_the_current_network_and_the_typed_values_kept(ww):
    system = Principal.system()
    b = _as(ww, "hub")
    page = "/beheer/netwerken/west"
    old = _version(b.get(page).get_data(as_text=True))
    ww.container.networks.remove_party(system, "west", "cordaan")  # someone else meanwhile
    r = b.post(f"{page}/gebieden", {
        "versie": old, "gebieden-0-meldpunt": "mzwo-west", "gebieden-0-pc4_van": "1051",
        "gebieden-0-pc4_tot": "1057"}, token_from=page)
    assert r.status_code == 409 and "Niet opgeslagen" in b.html
    assert 'value="1057"' in b.html  # what was typed stays
    assert _version(b.html) != old  # the form now carries the current version
    assert "Cordaan" not in b.html.split("Partijen (")[1].split("</table>")[0]
    assert ww.container.networks.get(system, "west").areas[0].pc4_to == 1058
    r = b.post(f"{page}/termijnen", {"versie": "", "regiecheck": "4"}, token_from=page)
    assert r.status_code == 409  # no version: refused as well
    assert ww.container.networks.get(system, "west").regiecheck_termijn_werkdagen == 3


def test_a_parts_errors_are_at_their_fields_in_dutch_without_the_value(ww):
    b = _as(ww, "hub")
    page = "/beheer/netwerken/west"
    version = _version(b.get(page).get_data(as_text=True))
    r = b.post(f"{page}/gebieden", {
        "versie": version, "gebieden-0-meldpunt": "mzwo-west", "gebieden-0-pc4_van": "1051",
        "gebieden-0-pc4_tot": "1058", "gebieden-1-meldpunt": "mzwo-west",
        "gebieden-1-pc4_van": "1055", "gebieden-1-pc4_tot": "1060"}, token_from=page)
    assert r.status_code == 422 and 'id="gebieden-1-pc4_van-fout"' in b.html
    assert "overlapt een ander gebied" in b.html and 'value="1055"' not in b.html
    r = b.post(f"{page}/termijnen", {
        "versie": version, "regiecheck": "3", "termijnen-0-flow": "signaal_zorgaanbieder",
        "termijnen-0-werkdagen": "twee1", "termijnen-1-flow": "toewijzing",
        "termijnen-1-werkdagen": "99"}, token_from=page)
    assert r.status_code == 422 and "Vul een getal in." in b.html and "twee1" not in b.html
    r = b.post(f"{page}/termijnen", {
        "versie": version, "regiecheck": "3", "termijnen-0-flow": "signaal_zorgaanbieder",
        "termijnen-0-werkdagen": "2", "termijnen-1-flow": "toewijzing",
        "termijnen-1-werkdagen": "99"}, token_from=page)
    assert r.status_code == 422 and 'id="termijnen-1-werkdagen-fout"' in b.html
    assert "buiten wat is toegestaan" in b.html
    network = ww.container.networks.get(Principal.system(), "west")
    assert len(network.areas) == 1 and {t.werkdagen for t in network.termijnen} == {2}


def test_only_the_hub_admin_changes_a_networks_parts(ww):
    for who in ("beheer", "eigen-haard"):
        b = _as(ww, who)
        for part in ("gebieden", "regiecheck-lijst", "termijnen"):
            r = b.post(f"/beheer/netwerken/west/{part}", {"regiecheck": "9"},
                       token_from="/beheer" if who == "beheer" else "/inbox")
            assert r.status_code == 403, (who, part)
    assert ww.container.networks.get(Principal.system(), "west").regiecheck_termijn_werkdagen == 3
