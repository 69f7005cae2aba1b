"""Every patch of a third-party library's behaviour lives here, one module each.

Each module names the library and the versions it was written for, checks the
installed version when it is applied, applies idempotently through ``apply()``, and
has a unit test that fails when the library changes underneath it (the patched
behaviour is gone, or the patched attribute changed shape).
"""
