"""Run the matcher service: `python -m services.matcher` (settings from ENTRAIDE_* variables)."""

from services.matcher import SERVICE, port
from services.matcher.main import create_app
from services.runner import run

if __name__ == "__main__":
    run(SERVICE, create_app, port)
