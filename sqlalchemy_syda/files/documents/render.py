r"""``render_documents``: one document per generated row, with its child rows, from a template.

::

    >>> _ = (tmp / "order.txt").write_text("Order {{ id }} for {{ customers.name }}\n"
    ...     "{% for item in order_items %}{{ item.quantity }} x {{ '%.2f'|format(item.unit_price) }}\n{% endfor %}")
    >>> paths = render_documents(tmp / "order.txt", [Customer, Order, OrderItem],
    ...                          {Customer: 2, Order: 3, OrderItem: 7}, table=Order, out=tmp / "orders", seed=1)
    >>> [p.name for p in paths]
    ['orders-0001.txt', 'orders-0002.txt', 'orders-0003.txt']
    >>> print(paths[0].read_text())
    Order 1 for Miller-Humphrey
    1 x 27.53
    3 x 50.88
    1 x 28.68
    2 x 52.46
    <BLANKLINE>

An invoice as a PDF from an HTML template is the same call with ``to="pdf"`` (see ``examples/invoices/``)::

    render_documents("invoice.html", [Customer, Invoice, InvoiceLine], {Customer: 5, Invoice: 20, InvoiceLine: 80},
                     table=Invoice, to="pdf", out="invoices/", seed=42)    # invoices/invoices-0001.pdf ...

Rows come from :func:`~sqlalchemy_syda.generate` (models, Tables or dict schemas and their counts),
or from frames you already have (``{"invoices": df, "invoice_lines": df2}``; say how they link with
``children={"invoice_lines": "invoice_id"}`` and ``parents={"customers": "customer_id"}``). Children
and parents of models are found from their foreign keys. The same seed gives byte-identical files:
creation dates are pinned (:data:`~.stable.PINNED_DATE`), zips carry no wall-clock time. ``out``
ending in ``.zip`` writes one byte-stable archive instead of a folder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ...exceptions import OutputError, SchemaError, TemplateError
from .context import Link, document_contexts, links_from_specs
from .stable import zip_files
from .templates import DocumentTemplate, _jinja, load_template

__all__ = ["render_documents"]

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def render_documents(template: str | Path | DocumentTemplate, data: Any, counts: Any = None, *, table: Any,
                     out: str | Path, to: str | None = None, seed: int | None = 0, name: str | None = None,
                     children: Mapping[str, str | tuple[str, ...]] | None = None,
                     parents: Mapping[str, str | tuple[str, ...]] | None = None, key: str = "id",
                     limit: int | None = None, **generate_options: Any) -> list[Path]:
    """Render ``template`` once per row of ``table``; returns the written paths (or ``[zip]``).

    :param template: a path (``.html``, ``.txt``, ``.md``, ``.j2``, ``.docx`` ...) or a loaded template.
    :param data: models / Tables / dict schemas to generate (with ``counts``), or ``{table: DataFrame}``.
    :param table: the table that gives one document per row: a model, a Table or a name.
    :param out: a folder, or a path ending in ``.zip``.
    :param to: output format: ``pdf`` from an HTML or text template; default the template's own kind.
    :param name: a Jinja expression for each file's name (``"invoice-{{ number }}"``); the extension is added.
    :param children: for frames: ``{child table: its FK column(s) to table}`` (joined to ``key``).
    :param parents: for frames: ``{parent table: table's FK column(s) to it}`` (joined to the parent's ``key``).
    :param limit: render only the first ``limit`` rows.
    """
    doc_template = load_template(template)
    fmt = to or doc_template.kind
    if fmt not in doc_template.outputs():
        raise TemplateError(f"A {doc_template.kind} template cannot produce {fmt!r}; it can produce "
                            f"{', '.join(doc_template.outputs())}.")
    frames, table_name, links, dates = _rows(data, counts, table, seed, children, parents, key, generate_options)
    contexts = document_contexts(frames, table_name, links, dates)[:limit]
    names = _names(contexts, table_name, name, key)
    out = Path(out)
    archive = out if out.suffix.lower() == ".zip" else None
    folder = out.with_suffix("") if archive else out
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"Cannot create the folder {str(folder)!r}: {exc.strerror}.") from None
    paths = []
    for ctx, stem in zip(contexts, names):
        path = folder / f"{stem}.{fmt}"
        path.write_bytes(doc_template.render(ctx, fmt, title=stem))
        paths.append(path)
    if archive:
        zip_files(paths, archive)
        for path in paths:
            path.unlink()
        if not any(folder.iterdir()):
            folder.rmdir()
        return [archive]
    return paths


def _rows(data, counts, table, seed, children, parents, key, generate_options):
    if isinstance(data, Mapping) and data and all(hasattr(v, "columns") for v in data.values()):
        table_name = table if isinstance(table, str) else _spec_name(table)
        links = [Link("child", t, _cols(c), (key,) * len(_cols(c))) for t, c in (children or {}).items()]
        links += [Link("parent", t, _cols(c), (key,) * len(_cols(c))) for t, c in (parents or {}).items()]
        return dict(data), table_name, links, {}
    from ...generate import generate
    from ...run_request import frame_specs

    models = data if isinstance(data, (list, tuple)) else [data]
    specs = frame_specs(list(models))
    table_name = _spec_name(table, specs)
    frames = generate(list(models), counts, seed=seed, **generate_options)
    dates = {s.fullname: {c.name for c in s.columns if c.kind == "date"} for s in specs}
    return frames, table_name, links_from_specs(specs, table_name), dates


def _cols(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _spec_name(table: Any, specs: list | None = None) -> str:
    for spec in specs or []:
        if table is spec.model or table is spec.table or table in (spec.name, spec.fullname, spec.model_name):
            return spec.fullname
    if isinstance(table, str):
        if specs:
            raise SchemaError(f"Unknown table {table!r} for the documents: the data has "
                              f"{[s.fullname for s in specs]}.")
        return table
    from ...introspect import table_spec

    return table_spec(table).fullname


def _names(contexts: list[dict[str, Any]], table: str, pattern: str | None, key: str) -> list[str]:
    if pattern is None:
        width = max(4, len(str(len(contexts))))
        names = [f"{table}-{i + 1:0{width}d}" for i in range(len(contexts))]
    else:
        compiled = _jinja(pattern, "name", html=False)
        names = [_UNSAFE.sub("_", compiled.render_ctx(ctx)).strip("._") or "document" for ctx in contexts]
    seen: dict[str, int] = {}
    for i, stem in enumerate(names):
        if stem in seen:
            raise TemplateError(f"Two documents would both be named {stem!r} (rows {seen[stem] + 1} and {i + 1}): "
                                "make name= unique per row, e.g. include the key.")
        seen[stem] = i
    return names
