"""The life of a match over the whole stack (processes, real nats-server, SMTP sink), on the
matcher's adjustable clock: a mentoring round is published; one member accepts in the
portal (the link in the announcement, opened first by a "mail scanner", changes nothing),
one declines with a reason, one never answers. Days pass: two reminders, then "no answer";
at 14 days the check-in, answered in the portal. Every notice reaches each person once."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest

from deploy.local.nats_server import free_port
from deploy.local.smtp_sink import SmtpSink
from deploy.local.stack import Stack
from deploy.local.synthetic import community
from shared.auth import mint_token
from shared.settings import Settings
from tests.integration.portal.conftest import COORDINATOR, PortalStack
from tests.integration.portal.portal_support import csrf_of, sign_in, wait

pytestmark = [pytest.mark.e2e, pytest.mark.nats]
DAY_S = 86_400
REMINDER = re.compile(r"(rappel|reminder) (\d)/2, (votre réponse|your answer)")
CHECKIN = re.compile(r"(rencontrés|have you met)")
UNANSWERED = re.compile(r"(délai de réponse est passé|time to answer has passed)")


@pytest.fixture(scope="module")
def life_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PortalStack]:
    data = tmp_path_factory.mktemp("life-stack")
    with SmtpSink(port=free_port()) as sink, pytest.MonkeyPatch.context() as env:
        settings = Settings(
            env="test", data_dir=data, nats_port=free_port(), nats_http_port=0,
            profiles_port=free_port(), matcher_port=free_port(),
            notifier_port=free_port(), portal_port=free_port(),
            smtp_url=f"mailto://127.0.0.1:{sink.port}?mode=insecure",
            coordinator_emails=COORDINATOR,
        )  # fmt: skip
        env.setenv("ENTRAIDE_SMTP_URL", settings.smtp_url)
        env.setenv("ENTRAIDE_COORDINATOR_EMAILS", COORDINATOR)
        env.setenv("ENTRAIDE_MATCHER_CLOCK", "adjustable")
        env.setenv("ENTRAIDE_LIFE_TIMER_POLL_S", "0.2")
        env.delenv("ENTRAIDE_NATS_URL", raising=False)
        stack = Stack(settings)
        token = mint_token(settings, "hr", ("coordinator",))
        hr = httpx.Client(timeout=30, headers={"Authorization": f"Bearer {token}"})
        try:
            stack.start(timeout=60)
            yield PortalStack(stack, settings, sink, hr)
        finally:
            hr.close()
            stack.stop()


def subjects_to(ps: PortalStack, email: str) -> list[str]:
    return [r.subject for r in ps.sink.received if r.to.lower() == email.lower()]


def advance(ps: PortalStack, days: int) -> None:
    moved = ps.hr.post(ps.url("matcher") + "/_test/clock/advance", json={"seconds": days * DAY_S})
    assert moved.status_code == 200, moved.text


def test_accept_decline_silence_reminders_check_in_each_told_once(life_stack: PortalStack) -> None:
    ps = life_stack
    profiles, matcher = ps.url("profiles"), ps.url("matcher")
    skills = [s["code"] for s in ps.hr.get(profiles + "/skills?limit=500").json()["items"]]
    people = [{k: v for k, v in p.items() if k != "manager_index"}
              for p in community(30, skill_codes=skills, seed=3, tag="life")]  # fmt: skip
    email = {ps.hr.post(profiles + "/members", json=p).json()["id"]: p["email"] for p in people}
    wait(lambda: ps.hr.get(matcher + "/members/count").json()["members"] >= len(email))
    body = {"client_request_id": "life-e2e", "kind": "mentoring"}
    rid = ps.hr.post(matcher + "/rounds", json=body).json()["id"]
    wait(lambda: ps.hr.get(matcher + f"/rounds/{rid}").json()["state"] == "proposed")
    found = ps.hr.get(matcher + f"/rounds/{rid}/matches?limit=500").json()["items"]
    assert ps.hr.post(matcher + f"/rounds/{rid}/publish").json()["state"] == "published"
    # Three matches with three different mentors; a mentee is in one match only.
    chosen: list[dict] = []
    for x in found:
        if all(x["members"][0] != c["members"][0] for c in chosen):
            chosen.append(x)
    assert len(chosen) >= 3, "the round must have three mentors"
    alone = chosen[:3]
    (mentor0, mentee0), (_, mentee1), (_, mentee2) = (x["members"] for x in alone)
    everyone = sorted({m for x in found for m in x["members"]})
    parts = sum(len(x["members"]) for x in found)
    wait(lambda: all(subjects_to(ps, email[m]) for m in everyone))  # the announcements

    # The link of the announcement: a scanner opening it is sent to sign in; nothing changes.
    link = f"/propositions/{alone[0]['id']}"
    told = [r.part("text/plain") for r in ps.sink.received if r.to == email[mentee0]]
    assert len(told) == 1 and ps.url("portal") + link in told[0]
    with ps.portal() as scanner:
        assert scanner.get(link).status_code == 303
    with ps.portal() as portal:
        assert sign_in(portal, ps.sink, email[mentee0]).status_code == 303
        page = portal.get(link)
        assert page.status_code == 200 and "Accepter" in page.text
        mine = ps.as_member(mentee0).get(matcher + f"/me/matches/{alone[0]['id']}/life").json()
        assert mine["state"] == "pending", "reading the page changed nothing"
        sent = portal.post(
            link + "/reponse", data={"decision": "accept", "csrf_token": csrf_of(page)}
        )
        assert sent.status_code == 303
        assert 'data-state="accepted"' in portal.get(link).text
        with ps.as_member(mentor0) as m:
            assert m.post(matcher + f"/me/matches/{alone[0]['id']}/answer",
                          json={"accept": True}).status_code == 200  # fmt: skip
        decline = {"accept": False, "reason": "not_a_fit"}
        with ps.as_member(mentee1) as m:
            url = matcher + f"/me/matches/{alone[1]['id']}/answer"
            assert m.post(url, json=decline).status_code == 200

        def has(member: str, pattern: re.Pattern[str], n: int = 1) -> bool:
            return sum(bool(pattern.search(s)) for s in subjects_to(ps, email[member])) >= n

        advance(ps, 3)
        wait(lambda: has(mentee2, REMINDER))
        advance(ps, 2)
        wait(lambda: has(mentee2, REMINDER, 2))
        advance(ps, 3)
        wait(lambda: has(mentee2, UNANSWERED))
        advance(ps, 6)  # 14 days after publication
        wait(lambda: has(mentee0, CHECKIN) and has(mentor0, CHECKIN))
        page = portal.get(link)
        answered = portal.post(link + "/point", data={"met": "yes", "fit": "unsure",
                                                      "csrf_token": csrf_of(page)})  # fmt: skip
        assert answered.status_code == 303 and "checkin-done" in portal.get(link).text
        advance(ps, 7)
        wait(lambda: has(mentor0, CHECKIN, 2))  # the reminder, to the one who did not answer

    answers = ps.hr.get(matcher + f"/rounds/{rid}/answers").json()
    assert answers["counts"]["accepted"] == 2 and answers["counts"]["declined"] == 1
    assert answers["counts"]["unanswered"] == parts - 3
    time.sleep(2.0)  # a duplicate, were there one, would arrive now
    for member in everyone:
        got = Counter(subjects_to(ps, email[member]))
        assert all(n == 1 for n in got.values()), (member, got)
    assert [bool(REMINDER.search(s)) for s in subjects_to(ps, email[mentee0])].count(True) == 0
    assert sum(bool(REMINDER.search(s)) for s in subjects_to(ps, email[mentee2])) == 2
    assert sum(bool(UNANSWERED.search(s)) for s in subjects_to(ps, email[mentee2])) == 1
    assert sum(bool(CHECKIN.search(s)) for s in subjects_to(ps, email[mentee0])) == 1
    assert sum(bool(CHECKIN.search(s)) for s in subjects_to(ps, email[mentor0])) == 2
    assert not any(CHECKIN.search(s) or REMINDER.search(s) for s in subjects_to(ps, email[mentee1]))
    with ps.portal() as portal:  # the coordinator's round page
        assert sign_in(portal, ps.sink, COORDINATOR).status_code == 303
        page = portal.get(f"/coordination/tours/{rid}").text
        assert "2 acceptées" in page and "1 refusée" in page
        assert f"{parts - 3} sans réponse" in page
        assert page.count('class="tag" data-state="declined"') == 1
    inbox = ps.as_member(mentee2).get(ps.url("notifier") + "/inbox").json()
    assert inbox["total"] == 4  # the announcement, two reminders, "no answer"
