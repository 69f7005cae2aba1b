"""Every patch of a third-party library's behaviour lives here, one module each.

Each module names the library and the versions it was written for, checks the
installed version when it is applied, applies idempotently through ``apply()``, and
has a unit test that fails when the library changes underneath it (the patched
behaviour is gone, or the patched attribute changed shape).
"""

from __future__ import annotations

import importlib.metadata
import re


def installed_version(library: str) -> tuple[int, ...]:
    """An installed distribution's version as numbers.

    >>> installed_version("nats-py") >= (2, 0)
    True
    """
    text = importlib.metadata.version(library)
    return tuple(int(part) for part in re.findall(r"\d+", text.split("+")[0])[:3])
