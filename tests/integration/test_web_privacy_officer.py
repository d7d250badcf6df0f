"""The privacy officer's pages (Toestemmingen, Beslissingen, Inzage, Logboek) through Flask's
test client: a consent registered on the werkafspraak-10 form with the signed form's hash
computed from the upload, the corporatie's signaal reaching the zorgaanbieder on it, the
withdrawal and both decisions; the form rules (CSRF, a BSN refused at its field and never sent
back, role, another tenant's consent); the inzage report as a page and as a PDF."""

from __future__ import annotations

import hashlib
import io
import shutil
import subprocess
from datetime import timedelta

import pytest

from tenants.model import Principal, Role, Scope
from tests.fakes import signaal
from tests.integration.web import Browser, person, web_world

BSN = "111222333"  # passes the 11-proof
SIGNED = b"%PDF-1.4 ondertekend toestemmingsformulier van de client\n"
WONING = {"postcode": "1053 AB", "huisnummer": 40}


@pytest.fixture
def ww(sqlite_url, tmp_path):
    w = web_world(sqlite_url, tmp_path, start=False)
    w.people["privacy.cordaan"] = person(w, "cordaan", "privacy.cordaan",
                                         {Role.PRIVACY_OFFICER}, totp=True)
    yield w
    w.container.close()


def _officer(ww, who: str = "privacy.cordaan") -> Browser:
    b = Browser(ww.app)
    b.login(ww.people[who])
    return b


def _today(ww):
    return ww.container.clock().date()


def _form(ww, **changes) -> dict:
    today = _today(ww)
    data = {"achternaam": "Vries", "voorvoegsel": "de", "voornamen": "Johanna",
            "geboortedatum": "1968-05-17", "ontvangers": ["eigen-haard", "cordaan"],
            "categorieen": ["signaal_overlast"],
            "doel": "Overlast rond de woning samen met de corporatie aanpakken.",
            "noodzaak": "Zonder signaal kan de begeleiding niet tijdig bijsturen; een gesprek "
                        "alleen is te laat.",
            "geldig_van": today.isoformat(),
            "geldig_tot": (today + timedelta(days=300)).isoformat(),
            "ondertekend_op": today.isoformat(),
            "bewijs": (io.BytesIO(SIGNED), "toestemming.pdf")}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _register(ww, b: Browser, **changes) -> str:
    r = b.post("/toestemmingen/nieuw", _form(ww, **changes))
    assert r.status_code == 302, b.html
    return r.headers["Location"].rsplit("/", 1)[-1]


def _woning_on(ww, consent_id: str) -> None:
    """Cordaan's begeleide woning at WONING, on the consent (as the API registers it)."""
    cordaan = Principal("cordaan", "test", frozenset(Scope))
    consent, _ = ww.container.consents.get(cordaan, consent_id)
    ww.container.woningen.register(cordaan, {"adres": dict(WONING),
                                             "client_ref": consent.client_ref,
                                             "consent_id": consent_id,
                                             "contractvorm": "intermediair"})


def _signaal_from_eigen_haard(ww) -> dict:
    _, key = ww.container.keys.issue(Principal.system(), "eigen-haard", name="crm",
                                     scopes=frozenset(Scope))
    body = signaal(sender="eigen-haard", adres=dict(WONING))
    body["source"] = "urn:nld:kvk:30000003:systeem:crm"
    r = ww.client.post("/api/v1/messages", json=body, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 202, r.json
    return {d["recipient"]: d["decision"] for d in r.json["deliveries"]}


def test_a_privacy_officer_finds_the_four_pages_in_the_menu(ww):
    b = _officer(ww)
    page = b.get("/toestemmingen").get_data(as_text=True)
    for href in ("/toestemmingen", "/beslissingen", "/inzage", "/logboek"):
        assert f'href="{href}"' in page


def test_a_consent_registered_in_the_web_carries_the_uploaded_forms_hash_and_is_actief(ww):
    b = _officer(ww)
    consent_id = _register(ww, b)
    page = b.get(f"/toestemmingen/{consent_id}").get_data(as_text=True)
    assert hashlib.sha256(SIGNED).hexdigest() in page
    assert "actief" in page and "Eigen Haard" in page
    assert "<strong>Ketenhub</strong> · Cordaan" in page  # the header names the organisation
    listing = b.get("/toestemmingen?status=actief").get_data(as_text=True)
    assert consent_id in listing
    assert consent_id not in b.get("/toestemmingen?status=ingetrokken").get_data(as_text=True)
    stored = ww.container.consents.stored(Principal.system(), consent_id)
    assert stored.evidence.sha256 == hashlib.sha256(SIGNED).hexdigest()


def test_a_scanned_form_larger_than_an_api_body_is_hashed_too(ww):
    scan = bytes(range(256)) * 2048  # 512 KiB, beyond the API's 64 KiB body limit
    b = _officer(ww)
    consent_id = _register(ww, b, bewijs=(io.BytesIO(scan), "scan.pdf"))
    stored = ww.container.consents.stored(Principal.system(), consent_id)
    assert stored.evidence.sha256 == hashlib.sha256(scan).hexdigest()


def test_a_typed_hash_does_for_the_file_and_no_evidence_at_all_is_refused_at_its_field(ww):
    b = _officer(ww)
    assert _register(ww, b, bewijs=None, bewijs_sha256="AB" * 32).startswith("cns_")
    r = b.post("/toestemmingen/nieuw", _form(ww, bewijs=None))
    assert r.status_code == 422
    assert 'id="bewijs-fout"' in b.html and "Kies het ondertekende formulier" in b.html


def test_the_corporaties_signaal_reaches_the_zorgaanbieder_on_the_consent_until_it_is_withdrawn(ww):
    b = _officer(ww)
    consent_id = _register(ww, b)
    _woning_on(ww, consent_id)
    assert _signaal_from_eigen_haard(ww)["cordaan"] == "permit"

    r = b.post(f"/toestemmingen/{consent_id}/intrekken", {"reden": "De cliënt trok in."},
               token_from=f"/toestemmingen/{consent_id}")
    assert r.status_code == 302
    page = b.get(f"/toestemmingen/{consent_id}").get_data(as_text=True)
    assert "ingetrokken" in page and "Versie 2" in page and "Versie 1" in page
    assert "Toestemming intrekken" not in page  # nothing left to withdraw
    assert _signaal_from_eigen_haard(ww)["cordaan"] == "deny"

    decisions = b.get("/beslissingen?grondslag=consent").get_data(as_text=True)
    assert "toegestaan" in decisions and "geweigerd" in decisions
    assert "toestemming ingetrokken" in decisions
    only_denied = b.get("/beslissingen?grondslag=consent&besluit=deny").get_data(as_text=True)
    assert "toegestaan" not in only_denied.split("<tbody", 1)[1]
    # The version that permitted lists the decision that used it.
    version_1 = page.split('id="versie-1"', 1)[1]
    assert "toegestaan" in version_1


def test_a_withdrawal_without_a_reason_is_refused_at_the_reason(ww):
    b = _officer(ww)
    consent_id = _register(ww, b)
    r = b.post(f"/toestemmingen/{consent_id}/intrekken", {"reden": ""},
               token_from=f"/toestemmingen/{consent_id}")
    assert r.status_code == 422 and 'id="reden-fout"' in b.html
    assert ww.container.consents.stored(Principal.system(), consent_id).version == 1


def test_a_bsn_in_a_name_or_in_the_purpose_is_refused_at_its_field_and_never_sent_back(ww):
    b = _officer(ww)
    r = b.post("/toestemmingen/nieuw", _form(ww, achternaam=f"Vries {BSN}"))
    assert r.status_code == 422 and BSN not in b.html
    assert 'id="achternaam-fout"' in b.html and "BSN" in b.html
    r = b.post("/toestemmingen/nieuw", _form(ww, doel=f"Delen over BSN {BSN} met de corporatie."))
    assert r.status_code == 422 and BSN not in b.html
    assert 'id="doel-fout"' in b.html
    assert ww.container.consents.list(Principal.system()).items == []
    r = b.post("/inzage", {"achternaam": BSN, "geboortedatum": "1968-05-17"})
    assert r.status_code == 422 and BSN not in b.html and 'id="achternaam-fout"' in b.html


def test_a_bsn_in_the_withdrawal_reason_is_refused_at_it_and_the_consent_stays_actief(ww):
    b = _officer(ww)
    consent_id = _register(ww, b)
    r = b.post(f"/toestemmingen/{consent_id}/intrekken", {"reden": f"Verzoek van {BSN}."},
               token_from=f"/toestemmingen/{consent_id}")
    assert r.status_code == 422 and BSN not in b.html and 'id="reden-fout"' in b.html
    assert ww.container.consents.stored(Principal.system(), consent_id).version == 1
    r = b.get(f"/beslissingen?bericht={BSN}")
    assert r.status_code == 422 and BSN not in b.html and 'id="bericht-fout"' in b.html


def test_a_term_longer_than_two_years_is_refused_at_its_field(ww):
    b = _officer(ww)
    too_late = (_today(ww) + timedelta(days=3 * 365)).isoformat()
    r = b.post("/toestemmingen/nieuw", _form(ww, geldig_tot=too_late))
    assert r.status_code == 422
    assert 'id="geldig_tot-fout"' in b.html and "ten hoogste twee jaar" in b.html


def test_a_form_without_its_csrf_token_changes_nothing(ww):
    b = _officer(ww)
    r = b.post("/toestemmingen/nieuw", _form(ww), csrf=False)
    assert r.status_code == 400
    assert ww.container.consents.list(Principal.system()).items == []


def test_a_medewerker_gets_the_403_page_on_every_privacy_officer_page(ww):
    b = Browser(ww.app)
    b.login(ww.people["cordaan"])
    for path in ("/toestemmingen", "/toestemmingen/nieuw", "/beslissingen", "/inzage",
                 "/logboek"):
        assert b.get(path).status_code == 403, path
    assert 'href="/toestemmingen"' not in b.get("/inbox").get_data(as_text=True)


def test_only_a_zorgaanbieders_privacy_officer_may_register_a_consent(ww):
    meldpunt = _officer(ww, "privacy")
    assert "Nieuwe toestemming registreren" not in meldpunt.get("/toestemmingen").get_data(
        as_text=True)
    assert meldpunt.get("/toestemmingen/nieuw").status_code == 403


def test_another_tenants_consent_answers_404(ww):
    consent_id = _register(ww, _officer(ww), ontvangers=["eigen-haard"])
    meldpunt = _officer(ww, "privacy")
    assert meldpunt.get(f"/toestemmingen/{consent_id}").status_code == 404
    r = meldpunt.post(f"/toestemmingen/{consent_id}/intrekken", {"reden": "weg"},
                      token_from="/toestemmingen")
    assert r.status_code == 404
    assert consent_id not in meldpunt.get("/toestemmingen?status=alle").get_data(as_text=True)


def test_inzage_answers_a_posted_person_with_a_report_and_a_pdf(ww, tmp_path):
    b = _officer(ww)
    consent_id = _register(ww, b)
    _woning_on(ww, consent_id)
    _signaal_from_eigen_haard(ww)
    person = {"achternaam": "Vries", "voorvoegsel": "de", "voornamen": "Johanna",
              "geboortedatum": "1968-05-17"}
    r = b.post("/inzage", person)
    assert r.status_code == 200
    assert "1 bericht over deze persoon" in b.html and "Signaal" in b.html
    assert "gedeeld op toestemming van de persoon" in b.html
    r = b.post("/inzage/pdf", person, token_from="/inzage")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    pdf = r.get_data()
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdftoppm"):
        (tmp_path / "inzage.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-singlefile", str(tmp_path / "inzage.pdf"),
                        str(tmp_path / "pagina")], capture_output=True, check=True)
        assert (tmp_path / "pagina.png").read_bytes().startswith(b"\x89PNG")


def test_the_logboek_shows_the_chain_intact_and_the_retention_status(ww):
    b = _officer(ww)
    _register(ww, b)
    page = b.get("/logboek").get_data(as_text=True)
    assert "De keten is intact" in page
    assert "Toestemming geregistreerd" in page
    assert "Laatste vernietigingsronde" in page
    filtered = b.get("/logboek?activiteit=inzage.performed").get_data(as_text=True)
    assert "Geen verwerkingen in deze selectie." in filtered
