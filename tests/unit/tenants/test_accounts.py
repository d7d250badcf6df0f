"""Web login: passwords, the second factor, sessions, idle timeout, the lock and the audit."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from tenants.accounts import MAX_FAILED_LOGINS, Stage
from tenants.errors import AccountLocked, InvalidInput, LoginFailed, NotFound, WrongSecondFactor
from tenants.model import Principal, Role, Scope, TenantKind

PASSWORD = "een-lang-wachtwoord"


def _person(svc, username="anna", roles=frozenset({Role.MEDEWERKER}), tenant="ymere"):
    if svc.store.tenants.get(tenant) is None:
        svc.tenant(tenant, TenantKind.WONINGCORPORATIE)
    user = svc.users.create(svc.system, tenant, email=f"{username}@{tenant}.example",
                            name=username.capitalize(), roles=roles)
    svc.accounts.set_login(svc.system, user.id, username=username, password=PASSWORD)
    return user


def _audit(svc, action):
    return [a for a in svc.store.audit if a["action"] == action]


def test_a_medewerker_without_a_second_factor_is_logged_in_by_the_password(svc):
    user = _person(svc)
    result = svc.accounts.login("Anna ", PASSWORD)
    assert result.stage is Stage.COMPLETE
    who = svc.accounts.resolve(result.token)
    assert who.user.id == user.id
    assert who.principal.tenant_id == "ymere"
    assert Scope.MESSAGES_RECEIVE in who.principal.scopes and Scope.ADMIN not in who.principal.scopes
    assert _audit(svc, "web.login.succeeded")[-1]["subject_id"] == user.id


def test_the_password_is_stored_as_an_argon2_hash_never_in_clear(svc):
    user = _person(svc)
    stored = svc.store.credentials[user.id].password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_a_wrong_password_and_an_unknown_user_fail_alike_and_are_audited(svc):
    _person(svc)
    with pytest.raises(LoginFailed) as wrong:
        svc.accounts.login("anna", "niet-het-wachtwoord")
    with pytest.raises(LoginFailed) as unknown:
        svc.accounts.login("bob", PASSWORD)
    assert wrong.value.message == unknown.value.message
    reasons = [a["facts"]["reason"] for a in _audit(svc, "web.login.failed")]
    assert reasons == ["password", "unknown_user"]
    assert all("bob" not in str(a) for a in svc.store.audit)  # only a hash of the name


def test_repeated_failures_lock_the_account_even_for_the_right_password(svc):
    _person(svc)
    for _ in range(MAX_FAILED_LOGINS):
        with pytest.raises(LoginFailed):
            svc.accounts.login("anna", "fout-fout-fout")
    with pytest.raises(AccountLocked):
        svc.accounts.login("anna", PASSWORD)
    assert len(_audit(svc, "web.login.locked")) == 1
    svc.clock.advance(minutes=16)
    assert svc.accounts.login("anna", PASSWORD).stage is Stage.COMPLETE


def test_a_privacy_officer_needs_the_second_factor_before_any_page(svc):
    user = _person(svc, "pim", frozenset({Role.PRIVACY_OFFICER}))
    secret = svc.accounts.new_second_factor(svc.system, user.id)
    result = svc.accounts.login("pim", PASSWORD)
    assert result.stage is Stage.PASSWORD and not result.enrol
    assert svc.accounts.resolve(result.token) is None  # half logged in opens nothing
    with pytest.raises(WrongSecondFactor):
        svc.accounts.second_factor(result.token, "000000")
    code = pyotp.TOTP(secret).at(svc.clock())
    svc.accounts.second_factor(result.token, code)
    assert svc.accounts.resolve(result.token).user.id == user.id


def test_a_totp_code_is_accepted_only_once(svc):
    user = _person(svc, "pim", frozenset({Role.PRIVACY_OFFICER}))
    secret = svc.accounts.new_second_factor(svc.system, user.id)
    code = pyotp.TOTP(secret).at(svc.clock())
    svc.accounts.second_factor(svc.accounts.login("pim", PASSWORD).token, code)
    again = svc.accounts.login("pim", PASSWORD).token
    with pytest.raises(WrongSecondFactor):
        svc.accounts.second_factor(again, code)


def test_the_totp_secret_is_stored_sealed(svc):
    user = _person(svc, "pim", frozenset({Role.PRIVACY_OFFICER}))
    secret = svc.accounts.new_second_factor(svc.system, user.id)
    assert svc.store.credentials[user.id].totp_secret == "sealed:" + secret


def test_an_admin_without_a_second_factor_sets_one_up_at_login(svc):
    _person(svc, "beheer", frozenset({Role.TENANT_ADMIN}))
    result = svc.accounts.login("beheer", PASSWORD)
    assert result.stage is Stage.PASSWORD and result.enrol
    secret = pyotp.random_base32()
    svc.accounts.enrol_second_factor(result.token, secret, pyotp.TOTP(secret).at(svc.clock()))
    assert svc.accounts.resolve(result.token) is not None
    assert svc.accounts.login("beheer", PASSWORD).enrol is False


def test_an_idle_session_ends(svc):
    _person(svc)
    token = svc.accounts.login("anna", PASSWORD).token
    svc.clock.advance(minutes=20)
    assert svc.accounts.resolve(token) is not None  # use keeps it alive
    svc.clock.advance(minutes=29)
    assert svc.accounts.resolve(token) is not None
    svc.clock.advance(minutes=31)
    assert svc.accounts.resolve(token) is None
    svc.clock.advance(seconds=1)
    assert svc.accounts.resolve(token) is None


def test_logout_ends_the_session(svc):
    _person(svc)
    token = svc.accounts.login("anna", PASSWORD).token
    svc.accounts.logout(token)
    assert svc.accounts.resolve(token) is None
    assert _audit(svc, "web.logout")


def test_a_new_password_or_a_reset_second_factor_ends_open_sessions(svc):
    user = _person(svc)
    token = svc.accounts.login("anna", PASSWORD).token
    svc.accounts.set_password(svc.system, user.id, "nog-een-lang-wachtwoord")
    assert svc.accounts.resolve(token) is None
    token = svc.accounts.login("anna", "nog-een-lang-wachtwoord").token
    svc.accounts.reset_second_factor(svc.system, user.id)
    assert svc.accounts.resolve(token) is None


def test_a_short_password_is_refused(svc):
    user = svc.users.create(svc.system, svc.tenant("ymere"), email="a@b.nl", name="A",
                            roles={Role.MEDEWERKER})
    with pytest.raises(InvalidInput):
        svc.accounts.set_login(svc.system, user.id, username="anna", password="kort")


def test_a_tenant_admin_cannot_touch_another_tenants_user(svc):
    user = _person(svc)
    svc.tenant("arkin", TenantKind.ZORGAANBIEDER)
    other_admin = Principal(tenant_id="arkin", key_id="k", scopes=frozenset(Scope))
    with pytest.raises(NotFound):
        svc.accounts.reset_second_factor(other_admin, user.id)
    with pytest.raises(NotFound):
        svc.accounts.user_by_username(other_admin, "anna")


def test_a_suspended_tenant_logs_nobody_in(svc):
    user = _person(svc)
    token = svc.accounts.login("anna", PASSWORD).token
    svc.tenants.suspend(svc.system, user.tenant_id)
    assert svc.accounts.resolve(token) is None
    with pytest.raises(LoginFailed):
        svc.accounts.login("anna", PASSWORD)


def test_only_a_hub_admin_of_the_operator_is_a_hub_admin(svc):
    svc.tenants.create(svc.system, tenant_id="ketenhub", name="Beheer", kind=TenantKind.OVERIG,
                       is_operator=True)
    user = _person(svc, "hub", frozenset({Role.HUB_ADMIN}), tenant="ketenhub")
    secret = svc.accounts.new_second_factor(svc.system, user.id)
    token = svc.accounts.login("hub", PASSWORD).token
    svc.accounts.second_factor(token, pyotp.TOTP(secret).at(svc.clock() + timedelta(seconds=0)))
    assert svc.accounts.resolve(token).principal.is_hub_admin


def test_a_tenant_admin_changes_a_users_roles_audited_and_their_sessions_end(svc):
    user = _person(svc)
    token = svc.accounts.login("anna", PASSWORD).token
    admin = svc.admin_of("ymere")
    changed = svc.users.set_roles(admin, user.id, {Role.MEDEWERKER, Role.PRIVACY_OFFICER})
    assert changed.roles == {Role.MEDEWERKER, Role.PRIVACY_OFFICER}
    assert svc.store.users[user.id].roles == {Role.MEDEWERKER, Role.PRIVACY_OFFICER}
    entry = _audit(svc, "user.roles_changed")[-1]
    assert entry["subject_id"] == user.id and entry["facts"] == {
        "before": ["medewerker"], "roles": ["medewerker", "privacy_officer"]}
    assert svc.accounts.resolve(token) is None


def test_roles_cannot_be_emptied_nor_changed_in_another_tenant_nor_made_hub_admin(svc):
    user = _person(svc)
    svc.tenant("cordaan", TenantKind.ZORGAANBIEDER)
    with pytest.raises(InvalidInput):
        svc.users.set_roles(svc.admin_of("ymere"), user.id, set())
    with pytest.raises(NotFound):
        svc.users.set_roles(svc.admin_of("cordaan"), user.id, {Role.TENANT_ADMIN})
    with pytest.raises(NotFound):
        svc.users.set_roles(svc.admin_of("ymere"), "no-such-user", {Role.MEDEWERKER})
    with pytest.raises(InvalidInput):
        svc.users.set_roles(svc.system, user.id, {Role.HUB_ADMIN})
    assert svc.store.users[user.id].roles == {Role.MEDEWERKER}
    assert not _audit(svc, "user.roles_changed")


def test_the_admin_sees_who_has_a_second_factor(svc):
    with_totp = _person(svc, "anna")
    _person(svc, "bert")
    svc.accounts.new_second_factor(svc.system, with_totp.id)
    assert svc.accounts.with_second_factor(svc.admin_of("ymere"), "ymere") == {with_totp.id}
    svc.tenant("cordaan", TenantKind.ZORGAANBIEDER)
    with pytest.raises(NotFound):
        svc.accounts.with_second_factor(svc.admin_of("cordaan"), "ymere")
