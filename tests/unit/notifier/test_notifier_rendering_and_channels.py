"""Templates per role and language, and the apprise URLs of each channel."""

from __future__ import annotations

import email
import email.header
import email.utils
from datetime import UTC, datetime

import httpx
import pytest

from services.notifier.adapters.channels import EmailChannel, chat_url
from services.notifier.adapters.channels import email_headers as channel_headers
from services.notifier.adapters.mime import email_message
from services.notifier.adapters.profiles_client import ProfilesClient, contact_from_json
from services.notifier.adapters.rendering import Section, render, when
from services.notifier.domain.errors import ChannelError
from services.notifier.domain.model import Contact
from shared import correlation
from shared.events import Explanation, GroupMatched, MentoringPairMatched, RotationMatched, Seat

NOW = datetime(2025, 3, 3, 12, tzinfo=UTC)
#: Labels as the profiles catalogue would give them (shared.catalogue.CatalogueLabels).
LABELS = {
    "suivi_budgetaire": {"fr": "Suivi budgétaire et notes de frais", "en": "Budget follow-up"},
    "outils_collaboratifs": {"fr": "Outils collaboratifs", "en": "Collaboration tools"},
    "relation_client": {"fr": "Relation client", "en": "Customer relations"},
    "budget": {"fr": "Budget et notes de frais", "en": "Budget and expenses"},
}


def label(code: str, language: str) -> str:
    return LABELS.get(code, {}).get(language, code.replace("_", " "))


PEOPLE = {
    "a": Contact("a", "Léa Martin", "lea@example.com"),
    "b": Contact("b", "Sam Lee", "sam@example.com", language="en"),
    "c": Contact("c", "Chloé Durand", "chloe@example.com"),
}
PAIR = MentoringPairMatched(
    producer="matcher", match_id="p1", round_id="r1", mentor_id="a", mentee_id="b",
    occurred_at=NOW, explanation=Explanation(reasons=("skills:suivi_budgetaire", "odd_code")),
).model_dump(mode="json")  # fmt: skip
GROUP = GroupMatched(
    producer="matcher", match_id="g1", round_id="r1", members=("a", "b", "c"),
    facilitator_id="c", theme="outils_collaboratifs", occurred_at=NOW,
).model_dump(mode="json")  # fmt: skip
ROTATION = RotationMatched(
    producer="matcher", match_id="s1", round_id="r1", member_id="b", occurred_at=NOW,
    seats=(Seat(seminar_round=0, table=4, tablemates=("a", "gone")),),
).model_dump(mode="json")  # fmt: skip


@pytest.mark.parametrize(
    ("payload", "role", "me", "subject", "in_body"),
    [
        (PAIR, "mentor", "a", "Entraide : vous accompagnez Sam Lee", "Suivi budgétaire et notes"),
        (PAIR, "mentee", "b", "Entraide: Léa Martin will be your mentor", "Tuesday 11 March 2025"),
        (GROUP, "group_member", "a", "« Outils collaboratifs »", "Chloé Durand (animation)"),
        (GROUP, "facilitator", "c", "vous animez", "sam@example.com"),
        (ROTATION, "seminar_attendee", "b", "seating plan",
         "Round 1 — table 5: Léa Martin, (former member)"),
    ],
)  # fmt: skip
def test_each_role_says_who_why_and_the_next_step_in_the_members_language(
    payload, role, me, subject, in_body
) -> None:
    message = render([Section(payload, role)], PEOPLE[me], PEOPLE, NOW, label)
    assert subject in message.subject
    assert in_body in message.body
    assert (message.ics is None) is (role == "seminar_attendee")


def test_an_unknown_reason_code_is_shown_as_it_is() -> None:
    assert "odd_code" in render([Section(PAIR, "mentor")], PEOPLE["a"], PEOPLE, NOW, label).body


def test_two_matches_of_one_round_make_one_message() -> None:
    message = render(
        [Section(PAIR, "mentor"), Section(GROUP, "group_member")], PEOPLE["a"], PEOPLE, NOW, label
    )
    assert message.subject == "Entraide : vos 2 mises en relation de ce tour"
    assert "Sam Lee" in message.body and "groupe d'échange" in message.body


def test_dates_are_written_out_in_paris_time() -> None:
    moment = datetime(2025, 3, 11, 9, tzinfo=UTC)
    assert when(moment, "fr") == "mardi 11 mars 2025 à 10 h 00"
    assert when(moment, "en") == "Tuesday 11 March 2025 at 10:00"


def test_the_relay_is_read_once_from_its_apprise_url_with_the_sender() -> None:
    relay = EmailChannel("mailto://127.0.0.1:2525?mode=insecure", "entraide@localhost").relay()
    assert (relay.host, relay.port, relay.secure_mode) == ("127.0.0.1", 2525, "insecure")
    assert relay.sender == (None, "entraide@localhost") and relay.user is None
    own = EmailChannel("mailtos://u:pw@smtp.example.com:587?from=Entraide<no@example.com>", "x@y.z")
    relay = own.relay()
    assert (relay.secure_mode, relay.user, relay.password) == ("starttls", "u", "pw")
    assert relay.sender == ("Entraide", "no@example.com")  # the URL's own sender wins
    assert not EmailChannel("", "x@y.z").configured


def test_an_email_carries_the_correlation_id_of_its_delivery_and_no_other() -> None:
    with correlation.bound("round-7"):
        headers = channel_headers("k1")
    assert headers == {"X-Entraide-Message-Key": "k1", "X-Entraide-Correlation": "round-7"}
    assert channel_headers("k2") == {"X-Entraide-Message-Key": "k2"}


def test_an_email_parses_as_text_with_its_invitation_and_headers() -> None:
    raw = email_message(
        sender=(None, "entraide@localhost"), to=("Léa Dupont", "lea@example.com"),
        subject="Entraide : vous accompagnez Léa " * 3, body="Bonjour,\n.\n..pointée\n" + "x" * 90,
        headers={"X-Entraide-Message-Key": "k1"}, invitation=("rdv.ics", "BEGIN:VCALENDAR\r\n"),
    )  # fmt: skip
    parsed = email.message_from_bytes(raw)
    subject = str(email.header.make_header(email.header.decode_header(parsed["Subject"])))
    assert subject == ("Entraide : vous accompagnez Léa " * 3).strip()
    assert parsed["X-Entraide-Message-Key"] == "k1" and parsed["From"] == "entraide@localhost"
    assert email.utils.parseaddr(parsed["To"])[1] == "lea@example.com"
    parts = {p.get_content_type(): p.get_payload(decode=True) for p in parsed.walk()}
    assert parts["text/plain"] == ("Bonjour,\r\n.\r\n..pointée\r\n" + "x" * 90 + "\r\n").encode()
    assert parts["text/calendar"] == b"BEGIN:VCALENDAR\r\n"
    plain = email.message_from_bytes(email_message(
        sender=(None, "e@x"), to=(None, "a@x"), subject="s", body="b", headers={}))  # fmt: skip
    assert plain.get_content_type() == "text/plain" and plain.get_payload(decode=True) == b"b\r\n"


def test_chat_urls_use_apprise_native_services_or_a_json_webhook() -> None:
    slack = "https://hooks.slack.com/services/T000A/B000B/XXXXXXXXXXXXXXXXXXXXXXXX"
    assert chat_url(slack, "k") == slack
    assert chat_url("https://chat.example.com/hook", "k") == (
        "jsons://chat.example.com/hook?+Idempotency-Key=k"
    )
    assert chat_url("http://127.0.0.1:8080/h?x=1", "k").startswith("json://127.0.0.1:8080/h?x=1&")
    with pytest.raises(ChannelError):
        chat_url("ftp://example.com/x", "k")


def test_a_profile_missing_the_new_fields_gets_the_defaults() -> None:
    old = contact_from_json("a", {"display_name": "Léa", "email": "lea@example.com"})
    assert old.channels == ("email", "inapp") and old.language == "fr" and old.paused_until is None
    new = contact_from_json("a", {
        "display_name": "Sam", "email": "s@x.fr", "preferred_language": "en",
        "notification_channels": ["chat", "sms"], "chat_webhook_url": "https://h.example/x",
        "paused_until": "2025-05-01",
    })  # fmt: skip
    assert new.channels == ("chat",) and new.language == "en"
    assert new.paused_until is not None and new.paused_until.isoformat() == "2025-05-01"


def test_a_group_of_two_themes_shows_each_themes_label_in_subject_and_reasons() -> None:
    group = GroupMatched(
        producer="matcher", match_id="g2", round_id="r1", members=("a", "b", "c"),
        facilitator_id="c", theme="relation_client / budget", occurred_at=NOW,
        explanation=Explanation(reasons=("theme:relation_client", "theme:budget")),
    ).model_dump(mode="json")  # fmt: skip
    french = render([Section(group, "group_member")], PEOPLE["a"], PEOPLE, NOW, label)
    english = render([Section(group, "group_member")], PEOPLE["b"], PEOPLE, NOW, label)
    assert "« Relation client / Budget et notes de frais »" in french.subject
    assert "thème du groupe : Relation client" in french.body
    assert "thème du groupe : Budget et notes de frais" in french.body
    assert '"Customer relations / Budget and expenses"' in english.subject


def test_a_chat_webhook_outside_the_hosts_it_allows_is_refused_before_any_lookup() -> None:
    from services.notifier.adapters.channels import ChatChannel
    from services.notifier.domain.errors import AddressRefused

    chat = ChatChannel(allowed_hosts=(".slack.com",))
    with pytest.raises(AddressRefused) as refused:
        chat.check("https://hooks.example.com/x")
    assert refused.value.code == "webhook_host_not_allowed" and not refused.value.transient
    with pytest.raises(AddressRefused, match="webhook_not_https"):
        chat.check("http://hooks.slack.com/x")
    ChatChannel(allow_private_addresses=True).check("http://127.0.0.1:9/x")  # tests only


async def test_contacts_are_read_500_ids_a_call_and_kept_and_an_absent_one_is_erased() -> None:
    calls: list[list[str]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        ids = request.url.params.get_list("id")
        calls.append(ids)
        items = [{"id": i, "display_name": i.upper(), "email": f"{i}@x.fr"}
                 for i in ids if i != "gone"]  # fmt: skip
        return httpx.Response(200, json={"items": items, "total": len(items)})

    client = ProfilesClient("http://profiles", lambda ttl: "t",
                            transport=httpx.MockTransport(answer))  # fmt: skip
    wanted = [f"m{i}" for i in range(1200)] + ["gone"]
    found = await client.get_many(wanted)
    again = await client.get_many(["m1", "gone"])
    await client.aclose()
    assert sorted(len(c) for c in calls) == [201, 500, 500]  # the second call used none
    assert found["m7"] is not None and found["m7"].email == "m7@x.fr"
    assert found["gone"] is None and again == {"m1": found["m1"], "gone": None}
