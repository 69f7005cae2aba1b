"""Run the profiles service: `python -m services.profiles` (settings from ENTRAIDE_* variables)."""

from services.profiles import SERVICE, port
from services.profiles.main import create_app
from services.runner import run

if __name__ == "__main__":
    run(SERVICE, create_app, port)
