"""Run the matcher service: `python -m services.matcher` (settings from ENTRAIDE_* variables)."""

from services.runner import run

if __name__ == "__main__":
    run("matcher")
