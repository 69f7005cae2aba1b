"""Run the notifier service: `python -m services.notifier` (settings from ENTRAIDE_* variables)."""

from services.runner import run

if __name__ == "__main__":
    run("notifier")
