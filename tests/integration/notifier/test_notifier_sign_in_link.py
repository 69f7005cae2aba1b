"""POST /messages/sign-in-link: one e-mail with the link, for a service token only."""

from __future__ import annotations

from deploy.local.smtp_sink import SmtpSink
from services.notifier.main import create_app
from tests.support import bearer, running


async def test_the_portal_has_the_notifier_send_a_sign_in_link_in_the_persons_language(
    make_settings,  # type: ignore[no-untyped-def]
) -> None:
    with SmtpSink() as sink:
        settings = make_settings(smtp_url=sink.url)
        link = "http://127.0.0.1:8104/connexion/lien?jeton=abc"
        body = {"email": "lea@example.org", "language": "en", "link": link, "expires_minutes": 15}
        async with running(create_app(settings)) as http:
            member = await http.post("/messages/sign-in-link", json=body,
                                     headers=bearer(settings, "m1", "member"))  # fmt: skip
            assert member.status_code == 403
            sent = await http.post("/messages/sign-in-link", json=body,
                                   headers=bearer(settings, "portal", "service"))  # fmt: skip
            assert sent.status_code == 204, sent.text
            bad = await http.post("/messages/sign-in-link", json={**body, "email": "x"},
                                  headers=bearer(settings, "portal", "service"))  # fmt: skip
            assert bad.status_code == 422
        assert [r.to for r in sink.received] == ["lea@example.org"]
        mail = sink.received[0]
        assert mail.subject == "Your sign-in link to Entraide"
        assert body["link"] in mail.part("text/plain")
