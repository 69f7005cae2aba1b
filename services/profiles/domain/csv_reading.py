"""Reading any CSV file HR sends: its encoding, separator, header and records.

The separator (``,`` ``;`` or tab) is detected; UTF-8 (with or without BOM) is tried
first, then Windows-1252, the encoding spreadsheets on French Windows save in.
"""

from __future__ import annotations

import csv
import io

from services.profiles.domain.errors import InvalidImport


def decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidImport("csv_encoding")


def delimiter_of(text: str) -> str:
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        return ","


def records(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (trimmed, lower case) and the non-blank records with their row numbers.

    Row numbers count records as a spreadsheet shows them, the header being row 1.

    >>> records("Code;Label\\n\\na;A\\n")
    (['code', 'label'], [(3, ['a', 'A'])])
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    header = [h.strip().lower() for h in next(reader, [])]
    rows = [(n, cells) for n, cells in enumerate(reader, start=2) if any(c.strip() for c in cells)]
    return header, rows
