"""The web interface for people: server-rendered Dutch pages (Flask + Jinja2) on the same
services as the API. Forms and links work without JavaScript; the look is the NL Design
System's published CSS (npm, ``make install``)."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Response, g, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from hub.api.errors import (
    DOMAIN_ERROR_BASES,
    RETRY_AFTER_S,
    domain_error_response,
    http_error_response,
    status_for,
    unexpected_error_response,
)
from hub.api.ratelimit import retry_after_s
from hub.bootstrap import Container
from hub.web import format as fmt
from hub.web.assets import blp as assets_blp
from hub.web.auth.routes import blp as auth_blp
from hub.web.beheer.routes import blp as beheer_blp
from hub.web.berichten.routes import blp as berichten_blp
from hub.web.beslissingen.routes import blp as beslissingen_blp
from hub.web.gebruikers.routes import blp as gebruikers_blp
from hub.web.inbox.routes import blp as inbox_blp
from hub.web.inzage.routes import blp as inzage_blp
from hub.web.koppelingen.routes import blp as koppelingen_blp
from hub.web.logboek.routes import blp as logboek_blp
from hub.web.mislukt.routes import blp as mislukt_blp
from hub.web.navigation import menu_for
from hub.web.netwerken.routes import blp as netwerken_blp
from hub.web.organisaties.routes import blp as organisaties_blp
from hub.web.regiechecks.routes import blp as regiechecks_blp
from hub.web.session import load_user
from hub.web.signalen.routes import blp as signalen_blp
from hub.web.sleutels.routes import blp as sleutels_blp
from hub.web.statistiek.routes import blp as statistiek_blp
from hub.web.termijnen.routes import blp as termijnen_blp
from hub.web.toestemmingen.routes import blp as toestemmingen_blp
from hub.web.zaken.routes import blp as zaken_blp

BLUEPRINTS = (assets_blp, auth_blp, inbox_blp, signalen_blp, regiechecks_blp, zaken_blp,
              termijnen_blp, statistiek_blp, toestemmingen_blp, beslissingen_blp, inzage_blp,
              logboek_blp, berichten_blp)
#: The admin pages (Beheer), for tenant admins and the hub admin.
ADMIN_BLUEPRINTS = (beheer_blp, organisaties_blp, netwerken_blp, gebruikers_blp, sleutels_blp,
                    koppelingen_blp, mislukt_blp)
BLUEPRINTS += ADMIN_BLUEPRINTS
#: Paths that stay JSON (the API and the probes): everything else is a page for people.
_MACHINE_PATHS = ("/api/", "/healthz", "/readyz", "/metrics", "/openapi.json")

_ERROR_TEXT = {
    400: ("Ongeldig verzoek", "Het verzoek kon niet worden verwerkt."),
    403: ("Geen toegang", "U hebt geen toegang tot deze pagina."),
    404: ("Niet gevonden", "Deze pagina of dit bericht bestaat niet, of u hebt er geen toegang toe."),
    405: ("Niet toegestaan", "Deze handeling is op deze pagina niet mogelijk."),
    413: ("Te groot", "Wat u verstuurde is groter dan toegestaan."),
    429: ("Te veel verzoeken", "U hebt te veel verzoeken gedaan. Probeer het later opnieuw."),
    500: ("Er ging iets mis", "Er ging iets mis in de hub. De fout is vastgelegd."),
    503: ("Tijdelijk niet beschikbaar", "De hub is tijdelijk niet bereikbaar. Probeer het later "
                                        "opnieuw."),
}


def is_page_request() -> bool:
    return not request.path.startswith(_MACHINE_PATHS)


def error_page(status: int, text: str | None = None) -> tuple[str, int, dict[str, str]]:
    """The HTML error page; a 429 or 503 says with ``Retry-After`` when to try again, as the
    API's answers do."""
    title, default = _ERROR_TEXT.get(status, _ERROR_TEXT[400])
    headers = {}
    if status in (429, 503):
        headers["Retry-After"] = str(retry_after_s(int(RETRY_AFTER_S)) if status == 429
                                     else RETRY_AFTER_S)
    return render_template("web/error.html", title=title, text=text or default,
                           status=status), status, headers


def init_web(app: Flask, container: Container) -> None:
    """Register the pages, CSRF protection, the session cookie and the HTML error pages."""
    config = container.config
    app.config.update(
        SECRET_KEY=container.web_secret,
        SESSION_COOKIE_NAME="ketenhub_sessie",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.web_secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=config.web_idle_timeout_min),
        WTF_CSRF_CHECK_DEFAULT=False,  # the API uses bearer keys; pages check in _before_page
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session cookie
    )
    csrf = CSRFProtect(app)
    for blp in BLUEPRINTS:
        app.register_blueprint(blp)

    @app.before_request
    def _before_page() -> None:
        if request.blueprint not in {b.name for b in BLUEPRINTS}:
            return
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            csrf.protect()
        load_user()

    @app.after_request
    def _page_headers(response: Response) -> Response:
        if is_page_request() and response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("X-Frame-Options", "DENY")
            response.headers.setdefault("Referrer-Policy", "same-origin")
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; style-src 'self'; img-src 'self' data:; "
                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        return response

    @app.context_processor
    def _layout() -> dict:
        user = g.get("user")
        return {"user": user, "menu": menu_for(user) if user else [],
                "tenant_name": _tenant_name(container, user.user.tenant_id) if user else ""}

    app.jinja_env.filters["datum_tijd"] = fmt.datum_tijd
    app.jinja_env.filters["iso"] = fmt.iso
    app.jinja_env.filters["datum"] = fmt.datum

    @app.errorhandler(CSRFError)
    def _csrf_failed(exc: CSRFError) -> tuple[str, int, dict[str, str]]:
        return error_page(400, "Het formulier is verlopen of ongeldig. Laad de pagina opnieuw "
                               "en probeer het nog eens.")

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> object:
        # A path that is no page at all, asked by a client that does not want HTML (a partner
        # system with a wrong URL), gets the API's one error shape; a browser gets a page.
        unknown_to_a_system = request.url_rule is None and not request.accept_mimetypes.accept_html
        if not is_page_request() or unknown_to_a_system:
            return http_error_response(exc)
        if exc.code == 401:
            return error_page(403)
        return error_page(exc.code or 500)

    def _domain_error(exc: Exception) -> object:
        if not is_page_request():
            return domain_error_response(exc)
        return error_page(status_for(exc))

    for base in DOMAIN_ERROR_BASES:
        app.register_error_handler(base, _domain_error)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> object:
        if not is_page_request():
            return unexpected_error_response(exc)
        unexpected_error_response(exc)  # logs the type and traceback, never the request body
        return error_page(500)


def _tenant_name(container: Container, tenant_id: str) -> str:
    tenant = container.directory.snapshot().tenant(tenant_id)
    return tenant.name if tenant else tenant_id
