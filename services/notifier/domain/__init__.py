"""Pure rules of the notifier: who is told, in which role, on which channel, with what.

No framework imports here (no FastAPI, FastStream, SQLAlchemy, settings): plain data
in, plain data out. A test checks this rule.
"""
