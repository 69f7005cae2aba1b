"""The ``entraide`` command: run the local stack, mint tokens, refresh the contracts."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from deploy.local.operator import add_operator_commands
from shared.settings import get_settings

if TYPE_CHECKING:
    from deploy.local.stack import Stack

DOCS_ASYNCAPI = Path("docs") / "asyncapi"


def cmd_up(args: argparse.Namespace) -> int:
    from deploy.local.stack import Stack

    settings = get_settings()
    if args.cluster:
        from deploy.local.cluster_stack import ClusterStack

        stack: Stack = ClusterStack(settings)
    else:
        stack = Stack(settings)
    stopping = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    t0 = time.monotonic()
    print(f"Démarrage d'Entraide (données : {stack.data_dir}) ...", flush=True)
    stack.start(timeout=args.timeout)
    print(f"Prêt en {time.monotonic() - t0:.1f} s :")
    print_addresses(stack)
    print("Ctrl-C pour arrêter.", flush=True)
    try:
        while not stopping.wait(0.5):
            stack.supervise()
    finally:
        print("Arrêt ...", flush=True)
        stack.stop()
        print("Arrêté.", flush=True)
    return 0


def print_addresses(stack: Stack) -> None:
    from deploy.local.cluster_stack import ClusterStack
    from deploy.local.stack import SERVICES
    from services import portal

    if isinstance(stack, ClusterStack) and stack.cluster and stack.postgres:
        print(f"  nats        {stack.cluster.address}   (3 nœuds, flux à 3 répliques)")
        print(f"  postgresql  {stack.postgres.url('<service>')}")
        for key in stack.keys:
            print(f"  {key:<11} {stack.url(key)}")
        return
    print(f"  nats        {stack.settings.broker_url}")
    for service in SERVICES:
        if service == portal.SERVICE:
            continue
        print(f"  {service:<11} {stack.url(service)}   (docs : {stack.url(service)}/docs)")
    portal_url = stack.url(portal.SERVICE)
    print(f"  {portal.SERVICE:<11} {portal_url}   (le portail : à ouvrir dans un navigateur)")


def cmd_token(args: argparse.Namespace) -> int:
    from shared.auth import mint_token

    settings = get_settings()
    if args.coordinator:
        roles: tuple[str, ...] = ("coordinator",)
        subject = args.member or "coordinator"
    elif args.service:
        roles, subject = ("service",), args.service
    else:
        if not args.member:
            print("--member ID, --coordinator or --service NAME is required", file=sys.stderr)
            return 2
        roles, subject = ("member",), args.member
    print(mint_token(settings, subject, roles, ttl_s=args.ttl))
    return 0


def asyncapi_documents() -> dict[str, dict[str, object]]:
    """The AsyncAPI document of each service, generated with default settings."""
    import importlib

    from deploy.local.stack import SERVICES
    from shared.settings import Settings

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    docs = {}
    for service in SERVICES:
        app = importlib.import_module(f"services.{service}.main").create_app(settings)
        if app.state.asyncapi is not None:  # a service without events has no document
            docs[service] = app.state.asyncapi()
    return docs


def cmd_asyncapi(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for service, doc in asyncapi_documents().items():
        (out / f"{service}.json").write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
        print(f"wrote {out / (service + '.json')}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from deploy.local.demo import run_demo

    return run_demo(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="entraide", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start nats-server, the three services and the portal locally")
    up.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for readiness")
    up.add_argument(
        "--cluster",
        action="store_true",
        help="3 nats-server nodes (streams with 3 replicas), PostgreSQL, 2 replicas per service",
    )
    up.set_defaults(func=cmd_up)
    tok = sub.add_parser("token", help="mint a local bearer token")
    who = tok.add_mutually_exclusive_group()
    who.add_argument("--coordinator", action="store_true", help="a coordinator (HR) token")
    who.add_argument("--service", metavar="NAME", help="an internal service token")
    tok.add_argument("--member", metavar="ID", help="member id (subject of the token)")
    tok.add_argument("--ttl", type=int, default=86_400, help="lifetime in seconds")
    tok.set_defaults(func=cmd_token)
    api = sub.add_parser("asyncapi", help="write the AsyncAPI documents of the services")
    api.add_argument("--out", default=str(DOCS_ASYNCAPI))
    api.set_defaults(func=cmd_asyncapi)
    add_operator_commands(sub)
    demo = sub.add_parser("demo", help="run the end-to-end demo on a synthetic community")
    demo.add_argument("--members", type=int, default=538)
    demo.add_argument("--seed", type=int, default=7)
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    from deploy.local.nats_server import PortInUse

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except PortInUse as exc:
        print(f"entraide : {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
