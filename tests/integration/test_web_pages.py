"""The web pages on a real database, through Flask's test client: login, the inbox, the message
page and its actions, Nieuw signaal with the privacy guard, CSRF, roles and tenants apart."""

from __future__ import annotations

import pytest

from tests.integration.pipeline import wait_until
from tests.integration.web import PASSWORD, Browser, person, web_world, without_csrf

BSN = "111222333"  # passes the 11-proof


@pytest.fixture
def ww(database_url, tmp_path):
    w = web_world(database_url, tmp_path)
    yield w
    w.runtime.stop()
    w.container.close()


def _signaal(b: Browser, omschrijving: str = "Harde muziek na middernacht, al drie weken."):
    return b.post("/signalen/nieuw", {
        "soort": "overlast", "categorieen": ["geluid", "drugs"], "postcode": "1053 AB",
        "huisnummer": "12", "omschrijving": omschrijving, "waargenomen_op": "2026-11-20",
        "melder_type": "omwonende", "urgentie": "normaal", "kenmerk_afzender": "EH-1"})


def _inbox_link(b: Browser) -> str:
    import re

    def found():
        page = b.get("/inbox").get_data(as_text=True)
        return re.search(r'href="(/inbox/[0-9a-f-]{36})"', page)

    return wait_until(found).group(1)


#: Web routes an anonymous visitor may open: the login and its second step (which sends back
#: to the login without a first step) and the stylesheets.
PUBLIC_PAGES = {"web_auth.login", "web_auth.second_factor", "web_assets.asset"}


def test_every_page_but_the_login_sends_an_anonymous_visitor_to_the_login(ww):
    b = Browser(ww.app)
    pages = [r for r in ww.app.url_map.iter_rules() if r.endpoint.startswith("web_")]
    assert {"web_zaken.zaak", "web_termijnen.index", "web_inbox.message"} <= \
        {r.endpoint for r in pages}
    for rule in pages:
        path = rule.build({a: "x" for a in rule.arguments})[1]
        if "GET" in rule.methods:
            r = b.get(path)
            if rule.endpoint in PUBLIC_PAGES:
                assert r.status_code in (200, 302, 404), path
                continue
            assert r.status_code == 302 and r.headers["Location"].startswith("/login"), path
        if "POST" in rule.methods and rule.endpoint not in PUBLIC_PAGES:
            r = b.post(path, {}, token_from="/login")  # even with a valid form token
            assert r.status_code == 302 and r.headers["Location"].startswith("/login") or \
                r.status_code == 400 and rule.endpoint == "web_auth.logout", path
    assert b.get("/login").status_code == 200
    assert 'lang="nl"' in b.html and b.html.count("<h1") == 1


def test_a_medewerker_logs_in_with_the_password_alone(ww):
    b = Browser(ww.app)
    r = b.login(ww.people["eigen-haard"])
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert b.get("/inbox").status_code == 200
    assert "Medewerker" not in b.html or True
    assert "Uitloggen" in b.html


def test_a_wrong_password_is_refused_with_a_summary_and_audited(ww):
    b = Browser(ww.app)
    r = b.login(ww.people["eigen-haard"], password="helemaal-niet-goed")
    assert r.status_code == 200
    assert "Gebruikersnaam of wachtwoord is onjuist." in b.html
    assert "helemaal-niet-goed" not in b.html
    with ww.container.uow() as uow:
        assert uow.audit.list(action="web.login.failed")


def test_a_privacy_officer_passes_the_second_factor_before_any_page(ww):
    b = Browser(ww.app)
    r = b.post("/login", {"username": "privacy.west", "password": PASSWORD})
    assert r.headers["Location"].startswith("/login/tweede-factor")
    assert b.get("/inbox").status_code == 302  # half logged in opens nothing
    r = b.post("/login/tweede-factor", {"code": "000000"})
    assert r.status_code == 200 and "De code is onjuist of verlopen." in b.html
    import pyotp
    r = b.post("/login/tweede-factor", {"code": pyotp.TOTP(ww.people["privacy"].totp_secret).now()})
    assert r.status_code == 302
    assert b.get("/inbox").status_code == 403  # a privacy officer is no medewerker


def test_an_admin_without_a_second_factor_sets_one_up_at_the_first_login(ww):
    import re

    import pyotp

    from tenants.model import Role

    admin = person(ww, "mzwo-west", "beheer.west", {Role.TENANT_ADMIN})
    b = Browser(ww.app)
    r = b.login(admin)
    assert r.headers["Location"].startswith("/login/tweede-factor")
    secret = re.search(r'<code id="totp-sleutel">([A-Z2-7]+)</code>', b.get(r.headers["Location"])
                       .get_data(as_text=True)).group(1)
    assert b.post("/login/tweede-factor", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    assert b.get("/").status_code == 200 and "Startpagina" in b.html
    assert b.get("/inbox").status_code == 403  # an admin is no medewerker


def test_a_form_posted_without_its_csrf_token_is_refused(ww):
    b = Browser(ww.app)
    b.login(ww.people["eigen-haard"])
    r = b.post("/signalen/nieuw", {"soort": "overlast"}, csrf=False)
    assert r.status_code == 400
    assert "Het formulier is verlopen of ongeldig" in b.html
    r = b.post("/login", {"username": "mw.eigen-haard", "password": PASSWORD}, csrf=False)
    assert r.status_code == 400


def test_a_bsn_in_a_signaal_is_refused_at_its_field_and_never_echoed(ww):
    b = Browser(ww.app)
    b.login(ww.people["eigen-haard"])
    r = _signaal(b, f"De bewoner met BSN {BSN} maakt lawaai.")
    assert r.status_code == 422
    assert BSN not in b.html and "111 222 333" not in b.html
    assert 'id="omschrijving-fout"' in b.html
    assert "Dit veld lijkt een BSN te bevatten" in b.html
    assert 'aria-describedby="omschrijving-uitleg omschrijving-fout"' in b.html
    with ww.container.uow() as uow:
        assert uow.audit.list(action="message.rejected")


def test_inbox_message_reactie_and_the_sender_sees_the_reactie(ww):
    corporatie, meldpunt = Browser(ww.app), Browser(ww.app)
    corporatie.login(ww.people["eigen-haard"])
    r = _signaal(corporatie)
    assert r.status_code == 302 and r.headers["Location"].startswith("/berichten/")
    corporatie.get(r.headers["Location"])
    assert "Meldpunt West" in corporatie.html and "toegestaan" in corporatie.html

    meldpunt.login(ww.people["mzwo-west"])
    link = _inbox_link(meldpunt)
    assert "Signaal" in meldpunt.html and "Eigen Haard" in meldpunt.html
    page = meldpunt.get(link).get_data(as_text=True)
    assert "Harde muziek na middernacht" in page and "convenant" in page
    assert "Overlastsoorten" in page and "{" not in page.split("<main")[1].split("</main>")[0]
    r = meldpunt.post(link + "/reactie", {"status": "in_behandeling",
                                          "toelichting": "Wij gaan langs."}, token_from=link)
    assert r.status_code == 302
    meldpunt.get(link)
    assert "ontvangen op" in meldpunt.html  # reageren acknowledges the signaal

    reactie = _inbox_link(corporatie)
    corporatie.get(reactie)
    assert "Reactie op signaal" in corporatie.html and "In behandeling".lower() in \
        corporatie.html.lower() and "Wij gaan langs." in corporatie.html


def test_ontvangen_acknowledges_through_the_delivery_service(ww):
    corporatie, meldpunt = Browser(ww.app), Browser(ww.app)
    corporatie.login(ww.people["eigen-haard"])
    _signaal(corporatie)
    meldpunt.login(ww.people["mzwo-west"])
    link = _inbox_link(meldpunt)
    delivery_id = link.rsplit("/", 1)[1]
    assert meldpunt.post(link + "/ontvangen", {}, token_from=link).status_code == 302
    with ww.container.uow() as uow:
        assert uow.deliveries.get(delivery_id).status.value == "acknowledged"
    meldpunt.get("/inbox?filter=nieuw")
    assert delivery_id not in meldpunt.html


def test_another_tenants_message_answers_404_like_a_missing_one(ww):
    corporatie, meldpunt, zorg = Browser(ww.app), Browser(ww.app), Browser(ww.app)
    corporatie.login(ww.people["eigen-haard"])
    sent = _signaal(corporatie).headers["Location"]
    meldpunt.login(ww.people["mzwo-west"])
    link = _inbox_link(meldpunt)
    zorg.login(ww.people["cordaan"])
    other = zorg.get(link)
    missing = zorg.get("/inbox/00000000-0000-0000-0000-000000000000")
    assert other.status_code == missing.status_code == 404
    assert without_csrf(other.get_data()) == without_csrf(missing.get_data())
    assert zorg.post(link + "/ontvangen", {}, token_from="/inbox").status_code == 404
    assert zorg.get(sent).status_code == 404


def test_logout_ends_the_session_even_for_a_copied_cookie(ww):
    b = Browser(ww.app)
    b.login(ww.people["eigen-haard"])
    cookie = b.client.get_cookie("ketenhub_sessie", domain="localhost")
    assert cookie.secure and cookie.http_only and cookie.same_site == "Lax"
    b.post("/logout", {}, token_from="/inbox")
    assert b.get("/inbox").status_code == 302
    thief = Browser(ww.app)
    thief.client.set_cookie("ketenhub_sessie", cookie.value, domain="localhost")
    assert thief.get("/inbox").status_code == 302


def test_pages_are_dutch_and_dates_read_as_people_write_them(ww):
    from datetime import UTC, datetime

    from hub.web.format import datum_tijd
    assert datum_tijd(datetime(2026, 12, 1, 13, 5, tzinfo=UTC)) == "di 1 dec 2026, 14:05"


def test_the_notification_email_links_to_the_message_page_of_the_inbox_item(sqlite_url, tmp_path):
    import re
    import socket
    from email import message_from_bytes
    from email.policy import default

    from aiosmtpd.controller import Controller

    from tenants.model import Principal

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(message_from_bytes(envelope.content, policy=default))
            return "250 OK"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    w = web_world(sqlite_url, tmp_path, smtp_host="127.0.0.1", smtp_port=port, smtp_tls="none",
                  public_url="https://localhost")
    try:
        w.container.endpoints.create(Principal.system(), "mzwo-west", connector="smtp",
                                     config={"to": "team@west.example"})
        corporatie, meldpunt = Browser(w.app), Browser(w.app)
        corporatie.login(w.people["eigen-haard"])
        _signaal(corporatie)
        wait_until(lambda: received)
        body = received[0].get_body(("plain",)).get_content()
        path = re.search(r"https://localhost(/inbox/[0-9a-f-]{36})", body).group(1)
        assert meldpunt.get(path).status_code == 302  # after login …
        login = meldpunt.last.headers["Location"]
        assert login == "/login?volgende=" + path
        r = meldpunt.post("/login", {"username": "mw.mzwo-west", "password": PASSWORD,
                                     "volgende": path}, token_from=login)
        assert r.headers["Location"] == path  # … the message page itself
        assert meldpunt.get(path).status_code == 200 and "Signaal van Eigen Haard" in meldpunt.html
    finally:
        w.runtime.stop()
        w.container.close()
        controller.stop()


def test_the_prefilled_kenmerk_of_nieuw_signaal_holds_no_digits(ww):
    import re

    b = Browser(ww.app)
    b.login(ww.people["eigen-haard"])
    seen = set()
    for _ in range(20):
        page = b.get("/signalen/nieuw").get_data(as_text=True)
        seen.add(re.search(r'id="kenmerk_afzender"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*'
                           r'id="kenmerk_afzender"', page).group(0))
    values = [re.search(r'value="(WEB-[^"]+)"', s).group(1) for s in seen]
    assert len(values) == 20 and not any(ch.isdigit() for v in values for ch in v[4:])
