"""Run the notifier service: `python -m services.notifier` (settings from ENTRAIDE_* variables).

`python -m services.notifier dispatcher <pid>` is one of its other dispatcher processes,
which the service starts itself (``ENTRAIDE_NOTIFIER_PROCESSES``).
"""

import sys

from services.notifier import SERVICE, port
from services.notifier.adapters.processes import COMMAND
from services.notifier.main import create_app, run_dispatcher
from services.runner import run

if __name__ == "__main__":
    if sys.argv[1:2] == [COMMAND]:
        run_dispatcher(sys.argv[2:])
    else:
        run(SERVICE, create_app, port)
