"""Reading a client's .csv or .xlsx file in chunks of rows, every value as a string.

Each chunk is a DataFrame whose columns are our standard names (after the mapping) and whose
``line`` column is the row's line in the file (the header is line 1; for a CSV whose quoted
values hold line breaks, "line" counts records, not physical lines).
"""

from __future__ import annotations

import datetime as dt
import itertools
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from collections_app.imports.columns import LayoutError, resolve_columns

SUFFIXES = (".csv", ".xlsx")
# Every value is read as text held by Arrow: the string operations of the checks then run in C++.
TEXT = pd.StringDtype("pyarrow")


class FileUnreadable(Exception):
    """The file itself cannot be read: nothing is loaded and the job fails."""


@dataclass
class Chunk:
    frame: pd.DataFrame
    # Records the CSV parser could not split into the header's columns: (line, reason).
    malformed: list[tuple[int, str]] = field(default_factory=list)


def _csv_encoding(path: Path) -> str:
    head = path.open("rb").read(1 << 16)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "cp1252"  # what Excel on Windows writes
    return "utf-8-sig"


def count_rows(path: Path) -> int | None:
    """Rows after the header (an estimate for a CSV with line breaks inside quoted values)."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(path, read_only=True)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise FileUnreadable(f"cannot read the workbook: {exc}") from exc
        rows = workbook.worksheets[0].max_row
        workbook.close()
        return max(0, rows - 1) if rows else None
    lines, last = 0, b"\n"
    with path.open("rb") as handle:
        while block := handle.read(1 << 24):
            lines += block.count(b"\n")
            last = block[-1:]
    if last != b"\n":
        lines += 1
    return max(0, lines - 1)


def read_header(path: Path) -> list[str]:
    try:
        if path.suffix.lower() == ".xlsx":
            import openpyxl

            workbook = openpyxl.load_workbook(path, read_only=True)
            first = next(workbook.worksheets[0].iter_rows(max_row=1, values_only=True), ())
            workbook.close()
            return [str(v).strip() if v is not None else "" for v in first]
        frame = pd.read_csv(path, nrows=0, encoding=_csv_encoding(path))
        return [str(c).strip() for c in frame.columns]
    except Exception as exc:  # any parser or archive failure means the file is not readable
        raise FileUnreadable(f"cannot read the header: {exc}") from exc


def chunks(
    path: Path, mapping: Mapping[str, str] | None, known: tuple[str, ...], chunk_rows: int,
    first_rows: int | None = None,
) -> Iterator[Chunk]:
    """The file's rows, ``chunk_rows`` at a time, renamed to our columns (unused columns dropped).

    ``first_rows``: the size of the first chunk, when smaller (the database has nothing to do
    until the first chunk is checked, and the first one also fills the checks' caches).
    """
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise FileUnreadable(f"{path.name}: only .csv and .xlsx files can be imported")
    headers = read_header(path)
    try:
        names = resolve_columns(headers, mapping, known)
    except LayoutError as exc:
        raise FileUnreadable(str(exc)) from exc
    sizes = itertools.chain([min(first_rows or chunk_rows, chunk_rows)], itertools.repeat(chunk_rows))
    if suffix == ".xlsx":
        yield from _xlsx_chunks(path, names, sizes)
    else:
        yield from _csv_chunks(path, names, sizes)


def _csv_chunks(path: Path, names: list[str], sizes: Iterator[int]) -> Iterator[Chunk]:
    """Arrow's streaming CSV reader, parsed in C++ as text, gathered into chunks of ``next(sizes)`` rows.

    The reader reads ahead by several blocks; small blocks keep that memory small.
    """
    headers = [f"c{i}" for i in range(len(names))]  # positional: the file's own headers may repeat
    used = [h for h, name in zip(headers, names, strict=True) if name]
    skipped: list[tuple[int, str]] = []

    def invalid(row: Any) -> str:
        skipped.append((int(row.number or 0), f"expected {row.expected_columns} fields, saw {row.actual_columns}"))
        return "skip"

    line, chunk_rows = 2, next(sizes)
    try:
        reader = pa_csv.open_csv(
            path,
            # One parser thread: it knows the line of a malformed record (and PostgreSQL needs the other core).
            read_options=pa_csv.ReadOptions(column_names=headers, skip_rows=1, block_size=1 << 20, use_threads=False,
                                            encoding=_csv_encoding(path).replace("utf-8-sig", "utf8")),
            parse_options=pa_csv.ParseOptions(invalid_row_handler=invalid),
            convert_options=pa_csv.ConvertOptions(include_columns=used, column_types=dict.fromkeys(used, pa.string()),
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
        batches: list[pa.RecordBatch] = []
        for batch in itertools.chain(reader, [None]):
            if batch is not None:
                batches.append(batch)
                if sum(b.num_rows for b in batches) < chunk_rows:
                    continue
            if not batches:
                break
            # Exactly ``chunk_rows`` rows a chunk (Arrow's blocks hold however many rows fit in
            # 1 MB): the rest waits for the next block, or is the last chunk.
            table = pa.Table.from_batches(batches)
            while table.num_rows >= chunk_rows or (batch is None and table.num_rows):
                part, table = table.slice(0, chunk_rows), table.slice(chunk_rows)
                frame = part.to_pandas(types_mapper={pa.string(): TEXT}.get)
                frame.columns = [names[int(h[1:])] for h in used]
                lines = _line_numbers(line, len(frame), [m[0] for m in skipped])
                last = batch is None and not table.num_rows
                malformed = sorted(m for m in skipped if last or m[0] < lines[-1])
                skipped[:] = [m for m in skipped if m not in malformed]
                frame.insert(0, "line", lines)
                line = int(lines[-1]) + 1
                yield Chunk(frame, malformed)
                chunk_rows = next(sizes)
            batches = table.to_batches()
    except (pa.ArrowInvalid, UnicodeDecodeError, OSError, ValueError) as exc:
        raise FileUnreadable(f"line {line} onwards: {exc}") from exc


def _line_numbers(start: int, count: int, skipped: list[int]) -> np.ndarray:
    """``count`` line numbers from ``start`` on, the ``skipped`` ones (malformed records) left out."""
    lines = np.arange(start, start + count + len(skipped), dtype=np.int64)
    if skipped:
        lines = lines[~np.isin(lines, skipped)]
    return lines[:count]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value).strip()


def _frame(rows: list[list[Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({c: TEXT for c in columns if c != "line"})


def _xlsx_chunks(path: Path, names: list[str], sizes: Iterator[int]) -> Iterator[Chunk]:
    import openpyxl

    used = [i for i, name in enumerate(names) if name]
    columns = ["line", *(names[i] for i in used)]
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows: list[list[Any]] = []
        chunk_rows = next(sizes)
        for line, values in enumerate(workbook.worksheets[0].iter_rows(min_row=2, values_only=True), start=2):
            if values is None or all(v is None or v == "" for v in values):
                continue  # spreadsheets keep formatted empty rows
            rows.append([line, *(_cell(values[i]) if i < len(values) else "" for i in used)])
            if len(rows) == chunk_rows:
                yield Chunk(_frame(rows, columns))
                rows, chunk_rows = [], next(sizes)
        if rows:
            yield Chunk(_frame(rows, columns))
        workbook.close()
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise FileUnreadable(f"cannot read the workbook: {exc}") from exc
