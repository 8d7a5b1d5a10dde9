"""Signing in and the home screen, per role."""

import pytest


@pytest.mark.parametrize("email", ["coordinator@a.test", "worker@a.test", "volunteer@a.test",
                                   "officer@a.test", "buddy@a.test", "admin@a.test"])
def test_every_role_sees_its_home_screen(world, login, email):
    client = login(email)
    response = client.get("/")
    assert response.status_code == 200
    assert "handvast" in response.get_data(as_text=True)
