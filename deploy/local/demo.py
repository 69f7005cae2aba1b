"""``entraide demo``: the whole flow on a synthetic community, through the public APIs.

Starts a local SMTP sink and the stack (unless one already answers), creates the
community over HTTP, runs a mentoring round, a groups round and a seminar rotation,
publishes them and shows the quality figures and where the announcements went; then
says how to sign in to the portal as a demo member and as the coordinator (the links
land in a text file of the local SMTP sink).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import date
from typing import Any

import httpx
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from deploy.local import demo_health
from deploy.local.nats_server import free_port
from deploy.local.programme import SimMember
from deploy.local.smtp_sink import SmtpSink
from deploy.local.stack import Stack, service_url
from deploy.local.synthetic import community
from services.matcher import SERVICE as MATCHER
from services.notifier import SERVICE as NOTIFIER
from services.portal import SERVICE as PORTAL
from services.profiles import SERVICE as PROFILES
from shared.auth import mint_token
from shared.settings import Settings, get_settings

ROUNDS: list[tuple[str, str, dict[str, Any]]] = [
    ("mentoring", "Parrainage — automne", {"mode": "max_mentees"}),
    ("groups", "Groupes d'échange de pratiques", {"min_size": 5, "max_size": 10, "target_size": 8}),
    ("rotations", "Séminaire — world café", {"table_size": 10, "rounds": 4}),
]
console = Console()


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[step]}"),
        TimeElapsedColumn(),
        console=console,
    )


def _stack_answers(settings: Settings) -> bool:
    try:
        return httpx.get(f"{settings.profiles_base_url}/readyz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def _stop_on_sigterm(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # unwinds the ExitStack: the stack we started is stopped


def run_demo(args: argparse.Namespace) -> int:
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    t0 = time.monotonic()
    with ExitStack() as stack:
        settings = get_settings()
        tag = ""
        if _stack_answers(settings):
            console.print("[yellow]Une pile Entraide tourne déjà : elle est réutilisée.[/]")
            tag = f"-d{int(time.time()) % 100_000}"
            sink = None
        else:
            shutil.rmtree(settings.data_dir / "demo", ignore_errors=True)
            (settings.data_dir / "demo").mkdir(parents=True)
            mailbox = (settings.data_dir / "demo" / "courrier.txt").resolve()
            sink = stack.enter_context(SmtpSink(port=free_port(), mailbox=mailbox))
            os.environ["ENTRAIDE_SMTP_URL"] = f"mailto://127.0.0.1:{sink.port}?mode=insecure"
            os.environ["ENTRAIDE_DATA_DIR"] = str(settings.data_dir / "demo")
            os.environ.setdefault("ENTRAIDE_COORDINATOR_EMAILS", DEMO_COORDINATOR)
            settings = get_settings()
            local = Stack(settings)
            with console.status("Démarrage de nats-server, des trois services et du portail ..."):
                local.start(timeout=START_TIMEOUT_S)
            stack.callback(local.stop)
            console.print(f"Pile prête en {time.monotonic() - t0:.1f} s ({local.data_dir}).")
        demo = Demo(settings, mint_token(settings, "demo-coordinateur", ("coordinator",)))
        stack.callback(demo.close)
        ids = demo.create_community(args.members, args.seed, tag)
        demo.wait_projection(len(ids))
        demo_health.play(settings, demo.http, demo.members, args.seed, tag, console)
        for kind, name, params in ROUNDS:
            demo.run_round(kind, name, {**params, "seed": args.seed}, tag)
        demo.show_deliveries(sink, ids)
        demo_health.show(settings, demo.http, console)
        console.print(f"[bold green]Démo terminée en {time.monotonic() - t0:.1f} s.[/]")
        demo.show_sign_in(ids[0], sink)
        if sink is not None and sys.stdin.isatty():
            console.print("La pile reste ouverte pour le portail ; Ctrl-C pour arrêter.")
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(1)
    return 0


#: How long the services may take to answer ``/readyz``: on a loaded machine (two cores
#: shared with other work) the matcher's imports alone took more than 30 s.
START_TIMEOUT_S = 120.0

#: The coordinator of the demo (signs in by e-mail link like a member).
DEMO_COORDINATOR = "rh@entraide.demo"


class Demo:
    def __init__(self, settings: Settings, token: str) -> None:
        self.s = settings
        self.headers = {"Authorization": f"Bearer {token}"}
        self.http = httpx.Client(timeout=60, headers=self.headers)
        self.rounds: list[dict[str, Any]] = []
        self.members: list[SimMember] = []

    def close(self) -> None:
        self.http.close()

    def url(self, service: str, path: str) -> str:
        return service_url(self.s, service) + path

    def create_community(self, n: int, seed: int, tag: str) -> list[str]:
        page = self.http.get(self.url(PROFILES, "/skills"), params={"limit": 500}).json()
        skills = [s["code"] for s in page["items"]]
        people = community(n, skill_codes=skills, seed=seed, tag=tag)
        ids: dict[int, str] = {}
        managers = {p["manager_index"] for p in people if "manager_index" in p}
        first = [i for i in range(n) if i in managers]  # managers exist before their team
        with _progress() as bar, ThreadPoolExecutor(8) as pool:
            task = bar.add_task("Création des membres", total=n, step="")
            for batch in (first, [i for i in range(n) if i not in managers]):
                for i, member_id in pool.map(lambda i: (i, self.create(people[i], ids)), batch):
                    ids[i] = member_id
                    bar.update(task, advance=1)
        self.members = [
            SimMember(ids[i], p["site"], bool(p.get("opt_ins", {}).get("mentor")),
                      date.fromisoformat(p["start_date"]) if p.get("start_date") else None)
            for i, p in enumerate(people)
        ]  # fmt: skip
        sites = Counter(p["site"] for p in people)
        console.print(
            f"{n} membres sur {len(sites)} sites ("
            + ", ".join(f"{s} {c}" for s, c in sites.most_common())
            + ")"
        )
        return [ids[i] for i in range(n)]

    def create(self, payload: dict[str, Any], ids: dict[int, str]) -> str:
        body = {k: v for k, v in payload.items() if k != "manager_index"}
        if "manager_index" in payload:
            body["manager_id"] = ids[payload["manager_index"]]
        r = self.http.post(self.url(PROFILES, "/members"), json=body)
        if r.status_code != 201:
            raise SystemExit(f"Création refusée ({r.status_code}) : {r.text[:500]}")
        return str(r.json()["id"])

    def wait_projection(self, n: int) -> None:
        with _progress() as bar:
            task = bar.add_task("Projection du matcher", total=n, step="événements member.*")
            while True:
                seen = self.http.get(self.url(MATCHER, "/members/count")).json()["members"]
                bar.update(task, completed=min(seen, n))
                if seen >= n:
                    return
                time.sleep(0.2)

    def run_round(self, kind: str, name: str, params: dict[str, Any], tag: str) -> None:
        body = {
            "client_request_id": f"demo-{kind}-{params['seed']}{tag}",
            "kind": kind,
            "name": name,
            "parameters": params,
        }
        created = self.http.post(self.url(MATCHER, "/rounds"), json=body)
        created.raise_for_status()
        rid = created.json()["id"]
        with _progress() as bar:
            task = bar.add_task(f"{name}", total=1.0, step="")
            while True:
                r = self.http.get(self.url(MATCHER, f"/rounds/{rid}")).json()
                bar.update(task, completed=r["progress"], step=r["step"])
                if r["state"] in ("proposed", "failed"):
                    break
                time.sleep(0.2)
        if r["state"] == "failed":
            raise SystemExit(f"Le tour {name} a échoué : {r['error']}")
        url = self.url(MATCHER, f"/rounds/{rid}/matches")
        matches = [m for page in self.pages(url) for m in page["items"]]
        show_report(kind, name, r["report"] or {}, matches)
        published = self.http.post(self.url(MATCHER, f"/rounds/{rid}/publish")).json()
        console.print(f"Publié : {len(matches)} mises en relation ({published['state']}).\n")
        self.rounds.append({"id": rid, "name": name, "matches": matches})

    def pages(self, url: str, limit: int = 500) -> list[dict[str, Any]]:
        """Every page of a paged list (``limit``/``offset``)."""
        pages = [self.http.get(url, params={"limit": limit}).json()]
        while pages[-1]["offset"] + limit < pages[-1]["total"]:
            offset = pages[-1]["offset"] + limit
            pages.append(self.http.get(url, params={"limit": limit, "offset": offset}).json())
        return pages

    def show_sign_in(self, member_id: str, sink: SmtpSink | None) -> None:
        """How to sign in to the portal as a demo member and as the coordinator."""
        member = httpx.get(self.url(PROFILES, f"/members/{member_id}"), headers=self.headers)
        coordinators = ", ".join(sorted(self.s.coordinators)) or DEMO_COORDINATOR
        portal_url = service_url(self.s, PORTAL)
        console.print(f"\n[bold]Portail :[/] {portal_url}/connexion")
        console.print(f"  membre de démo : {member.json().get('email')}")
        console.print(f"  coordinateur   : {coordinators}")
        if sink is not None and sink.mailbox is not None:
            console.print(f"  les liens de connexion arrivent dans : {sink.mailbox}")
        else:
            console.print("  les liens de connexion arrivent par le relais SMTP configuré")

    def show_deliveries(self, sink: SmtpSink | None, ids: list[str]) -> None:
        table = Table(title="Annonces (journal du notifier)")
        for col in (
            "tour",
            "envoyés",
            "non envoyés (canal non choisi, pause)",
            "en attente",
            "échecs",
        ):
            table.add_column(col, justify="right" if col != "tour" else "left")
        deadline = time.monotonic() + 120
        for rnd in self.rounds:
            url = self.url(NOTIFIER, f"/rounds/{rnd['id']}/deliveries")
            expected = len({x for m in rnd["matches"] for x in m["members"]})
            while True:
                # the counts alone while deliveries are under way (one row, not every
                # page: reading them all at each poll cost the notifier 13 % of its CPU)
                counts = self.http.get(url, params={"limit": 1}).json()["counts"]
                busy = sum(counts.get(k, 0) for k in ("pending", "claimed", "sending"))
                if not busy:
                    members_told = {d["member_id"] for page in self.pages(url)
                                    for d in page["items"]}  # fmt: skip
                    if len(members_told) >= expected:
                        break
                if time.monotonic() > deadline:
                    break
                time.sleep(0.3)
            table.add_row(
                rnd["name"],
                *(str(counts.get(k, 0)) for k in ("sent", "skipped", "pending", "failed")),
            )
        console.print(table)
        if sink is not None:
            dupes = sum(c - 1 for c in sink.per_key().values())
            console.print(
                f"Serveur SMTP local : {len(sink.received)} e-mails reçus pour "
                f"{len(sink.per_recipient())} destinataires ; doublons : {dupes}."
            )
        sample = ids[0]
        token = mint_token(self.s, sample, ("member",))
        inbox = httpx.get(
            self.url(NOTIFIER, "/inbox"), headers={"Authorization": f"Bearer {token}"}
        ).json()["items"]
        console.print(f"Boîte de réception in-app du membre {sample} : {len(inbox)} message(s).")
        for entry in inbox[:3]:
            console.print(f"  • {entry.get('subject') or entry.get('kind')}")


HEADLINES: dict[str, list[tuple[str, str, str | None]]] = {
    "mentoring": [
        ("score total", "total_score", None),
        ("filleuls volontaires", "mentees", None),
        ("filleuls appariés", "matched", None),
        ("part des filleuls appariés", "share_matched", None),
        ("pire score apparié", "worst_score", None),
        ("binômes inter-sites", "share_cross_site", None),
        ("optimum prouvé (tarification duale)", "solver.proved_optimal", None),
    ],
    "groups": [
        ("cohésion (cosinus moyen)", "quality.cohesion_mean", "random.cohesion_mean"),
        ("sites par groupe", "quality.sites_per_group", "random.sites_per_group"),
        ("borne sup. sites par groupe", "quality.sites_upper_bound", "random.sites_upper_bound"),
        ("écart d'ancienneté (ans)", "quality.seniority_range", "random.seniority_range"),
        ("groupes avec animatrice", "quality.facilitator_coverage", "random.facilitator_coverage"),
        ("pire score de groupe", "quality.worst_group_score", "random.worst_group_score"),
    ],
    "rotations": [
        (
            "rencontres répétées",
            "figures.repeated_encounters",
            "random_baseline.repeated_encounters",
        ),
        (
            "part max. d'un site à une table",
            "figures.max_site_share",
            "random_baseline.max_site_share",
        ),
        (
            "nouveaux collègues rencontrés",
            "figures.mean_new_colleagues",
            "random_baseline.mean_new_colleagues",
        ),
        ("pire score de table", "figures.worst_table_score", "random_baseline.worst_table_score"),
    ],
}


def _get(report: dict[str, Any], path: str | None) -> str:
    value: Any = report
    for key in (path or "").split("."):
        if not key or not isinstance(value, dict) or key not in value:
            return "—"
        value = value[key]
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def show_report(
    kind: str, name: str, report: dict[str, Any], matches: list[dict[str, Any]]
) -> None:
    table = Table(title=f"{name} — qualité de la proposition")
    table.add_column("indicateur")
    table.add_column("proposition", justify="right")
    table.add_column("tirage au hasard", justify="right")
    for label, mine, baseline in HEADLINES[kind]:
        table.add_row(label, _get(report, mine), _get(report, baseline))
    console.print(table)
    if matches:
        example = matches[0]
        explanation = example["data"].get("explanation") or {}
        why = ", ".join(explanation.get("reasons", [])) or (
            f"{explanation.get('terms', {}).get('new_colleagues', 0):.0f} nouveaux collègues"
        )
        console.print(f"Exemple : {len(example['members'])} personne(s), raisons : {why}")
        text = example.get("explanation")
        if text:
            console.print(f"  « {text} »")
