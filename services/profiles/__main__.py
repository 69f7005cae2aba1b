"""Run the profiles service: `python -m services.profiles` (settings from ENTRAIDE_* variables)."""

from services.runner import run

if __name__ == "__main__":
    run("profiles")
