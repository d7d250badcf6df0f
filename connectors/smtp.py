"""E-mail: a notification that a message waits in the recipient's Ketenhub inbox.

Subject and body carry no personal data — the kind of message, the sending organisation, the
deadline and a link to the inbox item, nothing from the event's data or subject. The full event
is attached only when the endpoint says ``include_payload: true`` *and* the hub's SMTP server is
reached over TLS (``starttls`` or ``ssl``); without TLS the notification goes alone.

The SMTP server is hub-wide configuration; the endpoint only names ``to``. Plain SMTP
(``tls="none"``) is refused unless the server is on loopback, at construction and at send time.
STARTTLS is never skipped: a server that does not offer it fails the attempt (retryable).
"""

from __future__ import annotations

import json
import logging
import re
import smtplib
import ssl
from collections.abc import Mapping
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any

from connectors.base import Connector, DeliveryRequest
from connectors.config import ConfigErrors, is_loopback_host, string_field, unknown_fields
from connectors.errors import PermanentDeliveryError, RetryableDeliveryError

log = logging.getLogger("ketenhub.connectors.smtp")

TLS_MODES = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
PAYLOAD_CONTENT_TYPE = ("application", "cloudevents+json")

#: Dutch names for the hub's message types; an unknown type is shown as is.
TYPE_LABELS = {
    "nl.ketenhub.signaal.v1": "Signaal",
    "nl.ketenhub.signaal.reactie.v1": "Reactie op signaal",
    "nl.ketenhub.huurachterstand.v1": "Melding huurachterstand",
    "nl.ketenhub.urgent.v1": "Urgente melding",
    "nl.ketenhub.urgent.melding.v1": "Bericht over urgente zaak",
    "nl.ketenhub.toewijzing.v1": "Toewijzing",
    "nl.ketenhub.toewijzing.reactie.v1": "Reactie op toewijzing",
    "nl.ketenhub.afsluiting.v1": "Afsluiting",
    "nl.ketenhub.regiecheck.vraag.v1": "Regiecheck",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]{1,64}@"
                    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)*"
                    r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?$")


def _clean(text: str, limit: int = 120) -> str:
    return _CONTROL.sub(" ", text).strip()[:limit]


def _samenloop_line(samenloop: object) -> str | None:
    """The meldpunt's samenloop in words (a count and a zaak kenmerk: no personal data)."""
    if not isinstance(samenloop, dict):
        return None
    count = samenloop.get("eerdere_signalen_3_jaar")
    if not isinstance(count, int) or isinstance(count, bool):
        return None
    line = f"Samenloop: {count} eerdere signalen op dit adres in 3 jaar"
    zaak = samenloop.get("open_zaak")
    if isinstance(zaak, str) and zaak:
        line += f"; open zaak {_clean(zaak, 64)}"
    return line + "."


def _local_time(moment: datetime) -> str:
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo("Europe/Amsterdam")
    except Exception:  # noqa: BLE001 - no tz database: show UTC
        zone = UTC
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(zone).strftime("%d-%m-%Y %H:%M %Z")


class SmtpConnector(Connector):
    """``SmtpConnector(host="localhost", port=None, tls="starttls", username=None,
    password=None, sender="ketenhub@localhost", inbox_url_template=
    "http://localhost:8000/inbox/{delivery_id}", timeout_s=10.0, ca_bundle=None,
    hub_name="Ketenhub")``.

    ``port`` defaults by ``tls``: 587 for starttls, 465 for ssl, 25 for none. The template may
    use ``{delivery_id}``, ``{message_id}`` and ``{recipient}``. ``ca_bundle`` (PEM text) adds
    trusted roots for the SMTP server's certificate; verification is always on.
    """

    alias = "smtp"
    config_summary = "{to, include_payload?}"

    @classmethod
    def validate_config(cls, config: dict) -> tuple[dict, dict]:
        errors = ConfigErrors()
        unknown_fields(config, {"to", "include_payload"}, errors)
        public: dict = {"include_payload": False}
        to = string_field(config, "to", errors, required=True, max_len=254)
        if to is not None:
            if _EMAIL.match(to):
                public["to"] = to
            else:
                errors.add("/config/to", "email")
        include = config.get("include_payload", False)
        if include is None:
            include = False
        if not isinstance(include, bool):
            errors.add("/config/include_payload", "type.boolean")
        else:
            public["include_payload"] = include
        errors.raise_if_any()
        return public, {}

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> SmtpConnector:
        """The hub's mail settings: ``smtp_host``, ``smtp_port`` (0: by ``smtp_tls``),
        ``smtp_tls``, ``smtp_user``, ``smtp_password``, ``smtp_from`` and ``public_url`` (for
        the inbox link)."""
        return cls(host=settings["smtp_host"], port=settings["smtp_port"] or None,
                   tls=settings["smtp_tls"], username=settings["smtp_user"] or None,
                   password=settings["smtp_password"] or None, sender=settings["smtp_from"],
                   inbox_url_template=str(settings["public_url"]).rstrip("/")
                   + "/inbox/{delivery_id}")

    def __init__(self, host: str = "localhost", port: int | None = None, tls: str = "starttls",
                 username: str | None = None, password: str | None = None,
                 sender: str = "ketenhub@localhost",
                 inbox_url_template: str = "http://localhost:8000/inbox/{delivery_id}",
                 *, timeout_s: float = 10.0, ca_bundle: str | None = None,
                 hub_name: str = "Ketenhub") -> None:
        if tls not in TLS_MODES:
            raise ValueError(f"smtp tls must be one of {', '.join(TLS_MODES)}")
        if tls == "none" and not is_loopback_host(host):
            raise ValueError("plain SMTP (tls='none') is only allowed to a loopback host")
        self.host = host
        self.port = port or DEFAULT_PORTS[tls]
        self.tls = tls
        self._username = username
        self._password = password
        self.sender = sender
        self.inbox_url_template = inbox_url_template
        self.timeout_s = timeout_s
        self._ca_bundle = ca_bundle
        self.hub_name = hub_name

    def __repr__(self) -> str:  # the password stays out of any dump
        return f"SmtpConnector(host={self.host!r}, port={self.port}, tls={self.tls!r})"

    @property
    def encrypted(self) -> bool:
        return self.tls in {"starttls", "ssl"}

    # -- the message ------------------------------------------------------------------------
    def inbox_url(self, request: DeliveryRequest) -> str:
        # The link opens the recipient's inbox item (the web's message page): the delivery id
        # every channel carries is the inbox item's.
        return self.inbox_url_template.format(delivery_id=request.delivery_id,
                                              message_id=request.message_id,
                                              recipient=request.recipient)

    def compose(self, request: DeliveryRequest) -> EmailMessage:
        """The e-mail for one delivery: a notification, plus the event when allowed."""
        to = request.endpoint_config.get("to")
        if not isinstance(to, str) or not to or _CONTROL.search(to):
            raise PermanentDeliveryError("connector.invalid_config")
        event = request.event or {}
        event_type = event.get("type") if isinstance(event.get("type"), str) else ""
        label = _clean(TYPE_LABELS.get(event_type, event_type) or "Bericht")
        organisation = _clean(request.sender_name or request.sender)
        msg = EmailMessage()
        msg["Subject"] = f"[{self.hub_name}] {label} van {organisation}"
        msg["From"] = formataddr((self.hub_name, self.sender))
        msg["To"] = to
        msg["Date"] = format_datetime(datetime.now(UTC))
        # Stable per delivery (the inbox item's id, as every channel carries it): a retried or
        # repeated delivery, or the same message seen in the inbox, is recognised as the same.
        msg["Message-ID"] = f"<{request.delivery_id}@{self.sender.rpartition('@')[2] or 'ketenhub'}>"
        msg["X-Ketenhub-Delivery-Id"] = request.delivery_id
        msg["Auto-Submitted"] = "auto-generated"
        lines = [
            f"Er staat een nieuw bericht voor u klaar in {self.hub_name}.",
            "",
            f"Soort bericht: {label}" + (f" ({event_type})" if event_type and label != event_type
                                         else ""),
            f"Afzender: {organisation}",
        ]
        if request.deadline is not None:
            lines.append(f"Reageren vóór: {_local_time(request.deadline)}")
        samenloop = _samenloop_line(event.get("samenloop"))
        if samenloop:
            lines.append(samenloop)
        lines += ["", f"Bekijk het bericht: {self.inbox_url(request)}", "",
                  f"Kenmerk: {request.delivery_id}", ""]
        include = bool(request.endpoint_config.get("include_payload")) and self.encrypted \
            and request.event is not None
        if include:
            lines.append("Het volledige bericht is bijgevoegd (bericht.json).")
        else:
            lines.append("Deze e-mail bevat bewust geen persoonsgegevens; "
                         "u leest het bericht in de inbox.")
        msg.set_content("\n".join(lines) + "\n")
        if include:
            payload = json.dumps(request.event, ensure_ascii=False, indent=2).encode("utf-8")
            msg.add_attachment(payload, maintype=PAYLOAD_CONTENT_TYPE[0],
                               subtype=PAYLOAD_CONTENT_TYPE[1], filename="bericht.json")
        return msg

    # -- sending ----------------------------------------------------------------------------
    def _context(self) -> ssl.SSLContext:
        ctx = ssl.create_default_context()
        if self._ca_bundle:
            ctx.load_verify_locations(cadata=self._ca_bundle)
        return ctx

    def _open(self) -> smtplib.SMTP:
        if self.tls == "ssl":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout_s,
                                    context=self._context())
        if self.tls == "none" and not is_loopback_host(self.host):
            raise PermanentDeliveryError("connector.insecure_transport")
        client = smtplib.SMTP(self.host, self.port, timeout=self.timeout_s)
        try:
            if self.tls == "starttls":
                client.ehlo()
                if not client.has_extn("starttls"):
                    raise RetryableDeliveryError("connector.tls")  # never fall back to plain
                client.starttls(context=self._context())
                client.ehlo()
        except BaseException:
            client.close()
            raise
        return client

    def _send(self, request: DeliveryRequest) -> int | None:
        return self._transmit(self.compose(request))

    def send_notice(self, *, to: str, subject: str, body: str, reference: str) -> None:
        """A plain notification from the hub itself (an alert to a tenant's alert address):
        the same server, TLS rules and error mapping as deliveries; no personal data."""
        if not to or _CONTROL.search(to) or _CONTROL.search(subject):
            raise PermanentDeliveryError("connector.invalid_config")
        msg = EmailMessage()
        msg["Subject"] = subject
        msg["From"] = formataddr((self.hub_name, self.sender))
        msg["To"] = to
        msg["Date"] = format_datetime(datetime.now(UTC))
        msg["Message-ID"] = f"<{reference}@{self.sender.rpartition('@')[2] or 'ketenhub'}>"
        msg["Auto-Submitted"] = "auto-generated"
        msg.set_content(body)
        self._transmit(msg)

    def _transmit(self, msg: EmailMessage) -> int:
        try:
            client = self._open()
            try:
                if self._username:
                    client.login(self._username, self._password or "")
                client.send_message(msg, from_addr=self.sender, to_addrs=[msg["To"]])
            finally:
                try:
                    client.quit()
                except (smtplib.SMTPException, OSError):
                    client.close()
        except (RetryableDeliveryError, PermanentDeliveryError):
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            code = next(iter(exc.recipients.values()), (450, b""))[0]
            raise self._by_code(code, "connector.recipient_refused") from None
        except smtplib.SMTPAuthenticationError as exc:
            # The hub's own credentials: fixable by the operator, so retry.
            raise RetryableDeliveryError("connector.smtp_auth", exc.smtp_code) from None
        except smtplib.SMTPNotSupportedError:
            raise RetryableDeliveryError("connector.tls") from None
        except smtplib.SMTPResponseException as exc:
            raise self._by_code(exc.smtp_code, "connector.smtp_refused") from None
        except smtplib.SMTPServerDisconnected as exc:
            # smtplib turns a read timeout into "connection unexpectedly closed".
            timed_out = isinstance(exc.__context__, TimeoutError)
            raise RetryableDeliveryError("connector.timeout" if timed_out
                                         else "connector.connection") from None
        except ssl.SSLError:
            raise RetryableDeliveryError("connector.tls") from None
        except TimeoutError:
            raise RetryableDeliveryError("connector.timeout") from None
        except (smtplib.SMTPException, OSError):
            raise RetryableDeliveryError("connector.connection") from None
        return 250

    @staticmethod
    def _by_code(code: int, name: str) -> RetryableDeliveryError | PermanentDeliveryError:
        if 500 <= code < 600:
            return PermanentDeliveryError(name, code)
        return RetryableDeliveryError(name, code)
