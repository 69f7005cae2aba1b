"""Run the portal: `python -m services.portal` (settings from ENTRAIDE_* variables)."""

from services.portal import SERVICE, port
from services.portal.main import create_app
from services.runner import run

if __name__ == "__main__":
    run(SERVICE, create_app, port)
