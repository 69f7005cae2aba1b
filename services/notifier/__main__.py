"""Run the notifier service: `python -m services.notifier` (settings from ENTRAIDE_* variables)."""

from services.notifier import SERVICE, port
from services.notifier.main import create_app
from services.runner import run

if __name__ == "__main__":
    run(SERVICE, create_app, port)
