"""``ketenhub users``: people who log in to the web (create, set a password, reset 2FA)."""

from __future__ import annotations

import click

from hub.cli._context import container
from tenants.accounts import needs_second_factor
from tenants.model import Principal, Role


@click.group(help="Gebruikers van de webinterface.")
def users() -> None:
    pass


def _password(value: str | None) -> str:
    return value or click.prompt("Wachtwoord (minstens 12 tekens)", hide_input=True,
                                 confirmation_prompt=True)


@users.command("create", help="Maak een gebruiker met inlognaam en wachtwoord.")
@click.option("--tenant", "tenant_id", required=True, help="Tenant id")
@click.option("--username", required=True, help="Inlognaam (uniek in de hub)")
@click.option("--email", required=True)
@click.option("--name", required=True, help="Naam zoals de pagina's die tonen")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice([r.value for r in Role if r is not Role.INBOX_USER]))
@click.option("--password", default=None, help="Anders gevraagd (niet zichtbaar)")
@click.option("--totp", is_flag=True, help="Stel meteen een tweede factor in (verplicht voor "
                                           "privacy officers en beheerders)")
def create(tenant_id: str, username: str, email: str, name: str, roles: tuple[str, ...],
           password: str | None, totp: bool) -> None:
    system = Principal.system()
    chosen = frozenset(Role(r) for r in roles)
    secret = _password(password)
    with container(quiet=True) as c:
        user = c.users.create(system, tenant_id, email=email, name=name, roles=chosen)
        c.accounts.set_login(system, user.id, username=username, password=secret)
        click.echo(f"gebruiker {username} aangemaakt voor {tenant_id} (id {user.id})")
        if totp:
            click.echo(f"TOTP-sleutel (eenmalig getoond): {c.accounts.new_second_factor(system, user.id)}")
        elif needs_second_factor(chosen):
            click.echo("deze rol vraagt een tweede factor: die wordt bij de eerste keer inloggen "
                       "ingesteld")


@users.command("set-password", help="Zet een nieuw wachtwoord; open sessies eindigen.")
@click.argument("username")
@click.option("--password", default=None, help="Anders gevraagd (niet zichtbaar)")
def set_password(username: str, password: str | None) -> None:
    system = Principal.system()
    secret = _password(password)
    with container(quiet=True) as c:
        user = c.accounts.user_by_username(system, username)
        c.accounts.set_password(system, user.id, secret)
        click.echo(f"wachtwoord van {username} gewijzigd")


@users.command("reset-2fa", help="Verwijder de tweede factor; die wordt bij de volgende keer "
                                 "inloggen opnieuw ingesteld. Open sessies eindigen.")
@click.argument("username")
def reset_2fa(username: str) -> None:
    system = Principal.system()
    with container(quiet=True) as c:
        user = c.accounts.user_by_username(system, username)
        c.accounts.reset_second_factor(system, user.id)
        click.echo(f"tweede factor van {username} verwijderd")
