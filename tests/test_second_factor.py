"""The second factor: coordinators and admins enrol at their first sign-in and give it every
time after; until they have, their session reaches no personal data, in pages or API."""

import re
from datetime import timedelta

import pyotp
import pytest

from server import config
from server.auth.models import RecoveryCode, User
from server.core import clock
from server.extensions import db

from .conftest import csrf_token, sign_in

NAME = "Amina El Idrissi"  # a person of the world, on the worker's caseload


@pytest.fixture
def required(app):
    """The production rule: coordinators and admins need a second factor."""
    before = app.config["SECOND_FACTOR_ROLES"]
    app.config["SECOND_FACTOR_ROLES"] = config.Defaults.SECOND_FACTOR_ROLES
    yield
    app.config["SECOND_FACTOR_ROLES"] = before


def _secret(client) -> str:
    page = client.get("/account/two-factor/app")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    return re.search(r'data-key="([A-Z2-7]+)"', page.get_data(as_text=True)).group(1)


def _code(secret: str) -> str:
    return pyotp.TOTP(secret).at(clock.now())


def _enrol(client) -> tuple[str, list[str]]:
    secret = _secret(client)
    page = client.post("/account/two-factor/app", data={
        "code": _code(secret), "csrf_token": csrf_token(client, "/account/two-factor/app")})
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page.get_data(as_text=True))
    return secret, codes


def _code_form(client, code: str):
    return client.post("/login/second-factor", data={
        "code": code, "csrf_token": csrf_token(client, "/login/second-factor")})


def _reaches_personal_data(client, world) -> bool:
    person = world.records["person"]
    pages = [client.get("/people/"), client.get(f"/people/{person}"), client.get("/")]
    api = [client.get("/api/v1/sync/pull"), client.get("/api/v1/session"),
           client.get("/api/v1/sync/conflicts")]
    if any(NAME in response.get_data(as_text=True) for response in pages + api):
        return True
    for response in pages:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login/second-factor")
    for response in api:
        assert response.status_code == 403
        assert response.json == {"error": "second factor required"}
    return False


def test_coordinators_and_admins_need_a_second_factor_by_default():
    assert set(config.Defaults.SECOND_FACTOR_ROLES) == {"coordinator", "admin"}


@pytest.mark.parametrize("email", ["coordinator@a.test", "admin@a.test"])
def test_without_a_second_factor_the_session_reaches_no_personal_data(app, world, required, email):
    client = app.test_client()
    response = sign_in(client, email)
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/login/second-factor")
    assert _reaches_personal_data(client, world) is False
    # The step itself sends the account without a factor to enrolment.
    assert client.get("/login/second-factor").headers["Location"] == "/account/two-factor/app"
    secret, codes = _enrol(client)
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert client.get("/people/").status_code == 200
    if email.startswith("coordinator"):
        assert NAME in client.get(f"/people/{world.records['person']}").get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        assert user.totp_secret == secret
        kept = db.session.scalars(db.select(RecoveryCode.code_hash).where(
            RecoveryCode.user_id == user.id)).all()
        assert len(kept) == 10
        assert not any(c.replace("-", "") in kept for c in codes)


def test_a_wrong_code_does_not_enrol(app, world, required):
    client = app.test_client()
    sign_in(client, "coordinator@a.test")
    secret = _secret(client)
    wrong = f"{(int(_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post("/account/two-factor/app", data={
        "code": wrong, "csrf_token": csrf_token(client, "/account/two-factor/app")})
    assert response.status_code == 422
    assert client.get("/api/v1/sync/pull").status_code == 403


def test_a_code_is_accepted_once_and_a_later_one_signs_in(app, world, required, travel):
    first = app.test_client()
    sign_in(first, "coordinator@a.test")
    secret, _codes = _enrol(first)
    enrolment_code = _code(secret)

    second = app.test_client()
    sign_in(second, "coordinator@a.test")
    assert _code_form(second, enrolment_code).status_code == 422  # replayed: refused
    assert second.get("/api/v1/sync/pull").status_code == 403
    travel(seconds=30)
    fresh = _code(secret)
    response = _code_form(second, fresh)
    assert response.status_code == 303
    assert second.get("/api/v1/sync/pull").status_code == 200
    third = app.test_client()
    sign_in(third, "coordinator@a.test")
    assert _code_form(third, fresh).status_code == 422  # the same code, on another device


def test_a_code_from_one_step_before_or_after_is_accepted(app, world, required, travel):
    client = app.test_client()
    sign_in(client, "admin@a.test")
    secret, _codes = _enrol(client)
    travel(seconds=120)
    late_phone = pyotp.TOTP(secret).at(clock.now() - timedelta(seconds=30))
    again = app.test_client()
    sign_in(again, "admin@a.test")
    assert _code_form(again, late_phone).status_code == 303


def test_recovery_codes_are_single_use(app, world, required):
    client = app.test_client()
    sign_in(client, "coordinator@a.test")
    _secret_value, codes = _enrol(client)
    other = app.test_client()
    sign_in(other, "coordinator@a.test")
    assert _code_form(other, codes[0].upper().replace("-", " ")).status_code == 303
    assert other.get("/api/v1/sync/pull").status_code == 200
    again = app.test_client()
    sign_in(again, "coordinator@a.test")
    assert _code_form(again, codes[0]).status_code == 422
    assert _code_form(again, codes[1]).status_code == 303


def test_new_recovery_codes_replace_the_old_set(app, world, required):
    client = app.test_client()
    sign_in(client, "coordinator@a.test")
    _secret_value, old = _enrol(client)
    page = client.post("/account/two-factor/recovery-codes",
                       data={"csrf_token": csrf_token(client, "/account/two-factor")})
    new = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", page.get_data(as_text=True))
    assert len(new) == 10
    assert not set(new) & set(old)
    later = app.test_client()
    sign_in(later, "coordinator@a.test")
    assert _code_form(later, old[2]).status_code == 422
    assert _code_form(later, new[2]).status_code == 303


def test_a_password_alone_adds_no_factor_to_an_account_that_has_one(app, world, required):
    owner = app.test_client()
    sign_in(owner, "coordinator@a.test")
    _enrol(owner)
    attacker = app.test_client()
    sign_in(attacker, "coordinator@a.test")
    assert attacker.get("/account/two-factor/app").status_code == 404
    token = csrf_token(attacker, "/login/second-factor")
    assert attacker.post("/account/passkeys/options", headers={"X-CSRFToken": token}).status_code == 404
    assert attacker.get("/account/two-factor").status_code == 302


def test_a_required_factor_cannot_be_switched_off(app, world, required):
    client = app.test_client()
    sign_in(client, "coordinator@a.test")
    secret, _codes = _enrol(client)
    client.post("/account/two-factor/app/remove",
                data={"csrf_token": csrf_token(client, "/account/two-factor")})
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "coordinator@a.test"))
        assert user.totp_secret == secret


def test_anyone_may_add_a_second_factor_and_is_then_asked_for_it(app, world):
    client = app.test_client()
    sign_in(client, "volunteer@a.test")
    assert client.get("/api/v1/sync/pull").status_code == 200  # not required for volunteers
    secret, codes = _enrol(client)
    assert codes
    later = app.test_client()
    assert sign_in(later, "volunteer@a.test").headers["Location"].startswith("/login/second-factor")
    assert later.get("/api/v1/sync/pull").status_code == 403
    client.post("/account/two-factor/app/remove",
                data={"csrf_token": csrf_token(client, "/account/two-factor")})
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "volunteer@a.test"))
        assert user.totp_secret is None  # optional: the volunteer may switch it off again


def test_pages_of_the_second_step_keep_nothing_on_the_phone(app, world, required):
    client = app.test_client()
    sign_in(client, "coordinator@a.test")
    page = client.get("/account/two-factor/app")
    body = page.get_data(as_text=True)
    assert "data-logout" not in body  # the phone neither keeps nor syncs for this session
    assert "bottom-nav" not in body
    assert page.headers["Cache-Control"] == "no-store"


def test_a_wrong_second_step_is_in_the_audit_trail(app, world, required):
    from server.audit.models import AuditEvent

    client = app.test_client()
    sign_in(client, "coordinator@a.test")
    _secret_value, _codes = _enrol(client)
    again = app.test_client()
    sign_in(again, "coordinator@a.test")
    assert _code_form(again, "000000x").status_code == 422
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "coordinator@a.test"))
        actions = db.session.scalars(db.select(AuditEvent.action).where(
            AuditEvent.user_id == user.id)).all()
    assert "second_factor_failed" in actions
    assert "second_factor_enrolled" in actions


def test_the_audit_trail_says_signed_in_only_once_the_second_factor_is_given(app, world, required,
                                                                            travel):
    from server.audit.models import AuditEvent

    def actions() -> list[str]:
        with app.app_context():
            user = db.session.scalar(db.select(User).where(User.email == "coordinator@a.test"))
            return db.session.scalars(db.select(AuditEvent.action).where(
                AuditEvent.user_id == user.id).order_by(AuditEvent.at, AuditEvent.id)).all()

    first = app.test_client()
    sign_in(first, "coordinator@a.test")
    assert actions() == ["sign_in_password"]  # the password alone reaches no personal data
    secret, _codes = _enrol(first)  # enrolling at the first sign-in completes it
    assert actions() == ["sign_in_password", "second_factor_enrolled", "recovery_codes_made",
                         "sign_in"]
    later = app.test_client()
    sign_in(later, "coordinator@a.test")
    assert actions()[-1] == "sign_in_password"
    travel(seconds=90)  # the enrolment's code may not be replayed
    assert _code_form(later, _code(secret)).status_code == 303
    assert actions()[-1] == "sign_in"
    assert actions().count("sign_in") == 2
    # Adding a factor from the account page of a full sign-in is not another sign-in.
    first.post("/account/two-factor/app/remove",
               data={"csrf_token": csrf_token(first, "/account/two-factor")})
    again = _secret(first)
    assert first.post("/account/two-factor/app", data={
        "code": _code(again), "csrf_token": csrf_token(first, "/account/two-factor/app")}
    ).status_code in (200, 303)
    assert actions()[-1] == "second_factor_enrolled"
    assert actions().count("sign_in") == 2


def test_wrong_codes_from_one_address_never_lock_the_owner_out_of_theirs(
        app, world, required, travel):
    """As found: someone with the password gave ten wrong codes, and then the owner's right
    code answered 429 from everywhere."""
    def at(address: str):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        sign_in(client, "coordinator@a.test")
        return client

    secret, _codes = _enrol(at("198.51.100.7"))
    attacker = at("203.0.113.66")
    wrong = f"{(int(_code(secret)) + 500_000) % 1_000_000:06d}"
    answers = [_code_form(attacker, wrong).status_code for _ in range(11)]
    assert answers[:10] == [422] * 10
    assert answers[10] == 429  # that address is stopped
    travel(seconds=30)
    owner = at("198.51.100.7")
    assert _code_form(owner, _code(secret)).status_code == 303
    assert _code_form(attacker, _code(secret)).status_code == 429
