"""The eager frame kinds ``score_frame`` accepts, seen the same way by the tests: build one from
columns, read a column back (null as ``None``), list its column names."""

from __future__ import annotations

from typing import Any

from frame_documents import nulls
from frame_engines import engine


class FrameKind:
    """pandas, Polars or PyArrow, behind one small interface."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.module = engine({"pandas": "pandas", "polars": "polars", "arrow": "pyarrow"}[name])

    def make(self, columns: dict[str, list[Any]], dtypes: dict[str, str] | None = None) -> Any:
        """A frame of these columns; ``dtypes`` (``"float64"``, ``"int64"``, ``"bool"``,
        ``"str"``) fixes a column's type, as an empty or all-null column needs."""
        native = {
            name: self._column(values, (dtypes or {}).get(name)) for name, values in columns.items()
        }
        if self.name == "pandas":
            return self.module.DataFrame(native)
        if self.name == "polars":
            return self.module.DataFrame(native)
        return self.module.table(native)

    def _column(self, values: list[Any], dtype: str | None) -> Any:
        if self.name == "pandas":
            # pandas' nullable Int64, so that an integer column can have missing cells
            return self.module.Series(values, dtype={"int64": "Int64"}.get(dtype or "", dtype))
        if self.name == "polars":
            pl = self.module
            types = {"float64": pl.Float64, "int64": pl.Int64, "bool": pl.Boolean, "str": pl.String}
            return pl.Series(values, dtype=types[dtype] if dtype else None, strict=False)
        pa = self.module
        types = {
            "float64": pa.float64(),
            "int64": pa.int64(),
            "bool": pa.bool_(),
            "str": pa.string(),
        }
        return pa.array(values, type=types[dtype] if dtype else None)

    def values(self, frame: Any, name: str) -> list[Any]:
        """A column as a list, null (and pandas' NaN) as ``None``."""
        if self.name == "pandas":
            return nulls(frame[name].tolist())
        if self.name == "polars":
            return list(frame[name].to_list())
        return list(frame[name].to_pylist())

    def columns(self, frame: Any) -> list[str]:
        """The frame's column names, in order."""
        return list(frame.column_names if self.name == "arrow" else frame.columns)

    def is_kind(self, frame: Any) -> bool:
        """Whether ``frame`` is this kind's frame."""
        kind = {"pandas": "DataFrame", "polars": "DataFrame", "arrow": "Table"}[self.name]
        return isinstance(frame, getattr(self.module, kind))
