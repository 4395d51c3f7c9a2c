"""Relations: rules between columns of related tables, inferred from names, comments, types and the FK graph.

A database is coherent across tables when a child's time does not come before its parent's, values a
child takes from its parent are the parent's, a parent's totals equal its children, and a flag such as
``is_primary`` holds for exactly one child per parent. :func:`plan_relations` finds these rules for a run
(each a :class:`~.recipe.Relation` with its reason) and the recipes carry them:

- ``after_parent``: a child's event time is not before the parent's creation time
  (``orders.order_date >= customers.created_at``);
- ``from_parent``: a value carried from the parent (``order_items.unit_price`` <- ``products.price``, a
  currency, a country), optionally with a discount; ``domain_from_parent``: a contact's e-mail at the
  customer's domain when the customer has a website;
- ``aggregate``: a parent column summing or counting its children (``orders.total_amount`` =
  ``sum(quantity * unit_price)`` of its items), written after the children;
- ``exactly_one``: ``is_primary`` / ``is_default`` true for exactly one child per parent that has children;
- ``children``: a default cardinality from the names (an order has 1-5 items).

``relations=False`` turns every inferred rule off; ``relations={"orders.order_date": None}`` one of them;
a string declares one (``"after customers.created_at"``, ``"from products.price"``,
``"sum(order_items.quantity * order_items.unit_price)"``, ``"count(order_items)"``, ``"one per customers"``),
as does ``info={"syda": {"relation": ...}}`` on the column::

    >>> from examples.crm_models import MODELS
    >>> from sqlalchemy_syda.introspect import table_specs
    >>> rules = plan_relations(table_specs(MODELS), {}, None)
    >>> [r.describe() for r in rules["orders"]]
    ['order_date >= customers.created_at (via customer_id)', 'total_amount = sum(quantity * unit_price) of order_items (via order_items.order_id)']
    >>> rules["order_items"][-1].describe()
    'order_id: between(1, 5) per orders'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .exceptions import SchemaError
from .recipe import Relation
from .specs import ColumnSpec, ForeignKeySpec, TableSpec
from .words import tokens

__all__ = ["default_children", "parse_relation", "plan_relations"]

_CREATED = {"created", "registered", "joined", "signup", "signed", "opened", "added", "onboarded", "since",
            "enrolled", "founded", "listed", "issued", "placed", "ordered", "scheduled", "booked"}
_NOT_EVENTS = {"birth", "born", "dob", "birthday", "expires", "expiry", "expiration", "valid", "until", "due",
               "deleted", "updated", "modified", "closed", "last", "end", "ended", "ends", "cancelled", "canceled"}
_FLAGS = {"primary", "default", "main", "preferred"}
_LINES = {"items", "item", "lines", "line"}
_QUANTITY = {"quantity", "qty", "units", "count"}
_TOTALS = {"total", "subtotal"}
_COUNT_WORDS = {"count", "num", "number", "of", "n", "total"}
_CHILDREN = "between(1, 5)"


def plan_relations(specs: list[TableSpec] | tuple[TableSpec, ...], counts: Mapping[str, int | None],
                   option: Any, outside: tuple[TableSpec, ...] = ()) -> dict[str, tuple[Relation, ...]]:
    """The relations of a run over ``specs``, per table (``option``: the ``relations=`` option; ``outside``:
    parents outside the run whose rows children point at)."""
    specs = list(specs)
    by_name = {s.fullname: s for s in (*outside, *specs)}
    declared, off, everything_off = _declared(specs, option)
    out: dict[str, list[Relation]] = {s.fullname: [] for s in specs}
    for spec in specs:
        for col in spec.columns:
            relation = _from_info(spec, col, by_name)
            if relation is not None:
                declared.setdefault((spec.fullname, col.name), relation)
            elif _info_off(col):
                off.add((spec.fullname, col.name))
    if not everything_off:
        for spec in specs:
            for rel in _infer(spec, by_name):
                if rel.kind == "aggregate" and rel.other not in out:
                    continue  # children outside the run
                if (spec.fullname, rel.column) not in off and (spec.fullname, rel.column) not in declared:
                    out[spec.fullname].append(rel)
    for (table, _), rel in declared.items():
        out[table].append(rel)
    return {t: tuple(rels) for t, rels in out.items()}


def default_children(relations: Mapping[str, tuple[Relation, ...]], given: Mapping[tuple[str, tuple[str, ...]], Any]
                     ) -> dict[tuple[str, tuple[str, ...]], Any]:
    """Cardinalities of the ``children`` rules the user did not set (``given``): ``{(table, fk columns): c}``."""
    from .cardinality import parse_cardinality

    out = {}
    for table, rels in relations.items():
        for rel in rels:
            if rel.kind == "children" and (table, rel.via) not in given:
                lo, hi = (int(x) for x in re.findall(r"\d+", rel.source or "1, 5"))
                out[(table, rel.via)] = parse_cardinality((lo, hi))
    return out


# --- inference -------------------------------------------------------------------------------------------
def _reaches(by_name: Mapping[str, TableSpec], start: str, goal: str) -> bool:
    """``start`` refers to ``goal`` through foreign keys (directly or through other tables)."""
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name == goal:
            return True
        if name in seen or name not in by_name:
            continue
        seen.add(name)
        todo.extend(fk.ref_table for fk in by_name[name].foreign_keys)
    return False


def _infer(spec: TableSpec, by_name: Mapping[str, TableSpec]) -> list[Relation]:
    rules: list[Relation] = []
    # a parent in a foreign-key cycle with the table would read the table's own rows back: no rule through it
    parents = [(fk, by_name[fk.ref_table]) for fk in spec.foreign_keys
               if fk.ref_table in by_name and fk.ref_table != spec.fullname
               and not _reaches(by_name, fk.ref_table, spec.fullname)]
    rules += _times(spec, parents)
    rules += _carried(spec, parents)
    rules += _domains(spec, parents)
    rules += _aggregates(spec, by_name)
    rules += _flags(spec, parents)
    rules += _children(spec, parents)
    return rules


def _words(name: str) -> set[str]:
    return set(tokens(name))


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _fk_columns(spec: TableSpec) -> set[str]:
    return {c for fk in spec.foreign_keys for c in fk.columns}


def _temporal(col: ColumnSpec) -> bool:
    return col.kind in ("date", "datetime") and not col.primary_key and not col.filled_by_database


def _own_value(spec: TableSpec, col: ColumnSpec) -> bool:
    """A column the generator decides (no override hint, not a key, not derived from another column of the row)."""
    if col.name in _fk_columns(spec) or col.primary_key or col.filled_by_database:
        return False
    return not (_words(col.name) & {"updated", "modified", "deleted"})


def _anchor(parent: TableSpec) -> ColumnSpec | None:
    """The parent's creation (or own event) time: what a child's time must not come before."""
    candidates = [c for c in parent.columns if _temporal(c) and not (_words(c.name) & _NOT_EVENTS)]
    for col in candidates:
        if _words(col.name) & _CREATED:
            return col
    return candidates[0] if candidates else None


def _times(spec: TableSpec, parents: list[tuple[ForeignKeySpec, TableSpec]]) -> list[Relation]:
    out = []
    columns = [c for c in spec.columns if _temporal(c) and _own_value(spec, c) and not (_words(c.name) & {
        "birth", "born", "dob", "birthday"})]
    for fk, parent in parents:
        anchor = _anchor(parent)
        if anchor is None:
            continue
        for col in columns:
            out.append(Relation("after_parent", col.name, parent.fullname, fk.columns, anchor.name,
                                f"a {parent.fullname} row exists before its {spec.fullname} "
                                f"({parent.fullname}.{anchor.name} is its {'creation' if _words(anchor.name) & _CREATED else 'own'} time)"))
    return out


def _carried(spec: TableSpec, parents: list[tuple[ForeignKeySpec, TableSpec]]) -> list[Relation]:
    out = []
    done: set[str] = set()
    for col in spec.columns:
        if not _own_value(spec, col) or col.name in done:
            continue
        words = _words(col.name)
        for fk, parent in parents:
            source, why = _carried_source(col, words, parent)
            if source is not None:
                out.append(Relation("from_parent", col.name, parent.fullname, fk.columns, source.name, why))
                done.add(col.name)
                break
    return out


def _domains(spec: TableSpec, parents: list[tuple[ForeignKeySpec, TableSpec]]) -> list[Relation]:
    """A person's e-mail at their organisation's domain, when the parent has a website or domain."""
    for col in spec.columns:
        if col.kind != "string" or not _own_value(spec, col) or not (_words(col.name) & {"email", "mail"}):
            continue
        for fk, parent in parents:
            site = next((c for c in parent.columns if c.kind == "string" and
                         _words(c.name) & {"website", "domain", "url", "homepage", "site"}), None)
            if site is not None:
                return [Relation("domain_from_parent", col.name, parent.fullname, fk.columns, site.name,
                                 f"a {spec.fullname} row's e-mail is at its {parent.fullname}'s domain "
                                 f"({parent.fullname}.{site.name}), where it has one")]
    return []


def _carried_source(col: ColumnSpec, words: set[str], parent: TableSpec) -> tuple[ColumnSpec | None, str]:
    numeric = ("float", "decimal", "integer")
    candidates = [c for c in parent.columns if not c.primary_key and c.name not in _fk_columns(parent)]
    if "price" in words and not words & _TOTALS and col.kind in numeric:
        prices = [c for c in candidates if "price" in _words(c.name) and not _words(c.name) & _TOTALS and
                  c.kind in numeric]
        best = next((c for c in prices if c.name == col.name), None) or next(
            (c for c in prices if c.name == "price"), None) or (prices[0] if prices else None)
        if best is not None:
            text = f" ({col.comment!r})" if col.comment else ""
            return best, f"{col.name!r}{text} is the price the row's {parent.fullname} had"
    for word, kinds in (("currency", ("string",)), ("country", ("string",))):
        if word in words and col.kind in kinds:
            same = [c for c in candidates if word in _words(c.name) and c.kind == col.kind]
            if same:
                return same[0], f"the row's {word} is its {parent.fullname}'s {same[0].name!r}"
    return None, ""


def _aggregates(spec: TableSpec, by_name: Mapping[str, TableSpec]) -> list[Relation]:
    out = []
    children = [(child, fk) for child in by_name.values() for fk in child.foreign_keys
                if fk.ref_table == spec.fullname and child.fullname != spec.fullname
                and not _reaches(by_name, spec.fullname, child.fullname)]
    if not children:
        return out
    for col in spec.columns:
        if not _own_value(spec, col) or col.kind not in ("float", "decimal", "integer"):
            continue
        words = _words(col.name)
        if "count" in words or words & {"num"} or col.name.startswith("n_"):
            stems = {_singular(w) for w in words - _COUNT_WORDS}
            for child, fk in children:
                child_words = {_singular(w) for w in _words(child.fullname)}
                if col.kind == "integer" and stems and stems <= child_words:
                    out.append(Relation("aggregate", col.name, child.fullname, fk.columns, "count(*)",
                                        f"{col.name!r} counts the row's {child.fullname}"))
                    break
            continue
        if words & _TOTALS and col.kind in ("float", "decimal"):
            for child, fk in sorted(children, key=lambda c: not (_words(c[0].fullname) & _LINES)):
                expr = _line_amount(child)
                if expr is not None:
                    out.append(Relation("aggregate", col.name, child.fullname, fk.columns, expr,
                                        f"{col.name!r} is the total of the row's {child.fullname}"))
                    break
    return out


def _line_amount(child: TableSpec) -> str | None:
    """What one child row adds to its parent's total: quantity * unit price, or its own amount."""
    numeric = [c for c in child.columns if c.kind in ("float", "decimal", "integer") and not c.primary_key
               and c.name not in _fk_columns(child)]
    quantity = next((c for c in numeric if _words(c.name) & _QUANTITY and c.kind == "integer"), None)
    price = next((c for c in numeric if "price" in _words(c.name) and not _words(c.name) & _TOTALS), None)
    if quantity is not None and price is not None:
        return f"sum({quantity.name} * {price.name})"
    amount = next((c for c in numeric if _words(c.name) & {"amount", "total", "subtotal"} and c.kind != "integer"),
                  None)
    return f"sum({amount.name})" if amount is not None else None


def _flags(spec: TableSpec, parents: list[tuple[ForeignKeySpec, TableSpec]]) -> list[Relation]:
    from .constraints import partial_uniques

    out = []
    for col in spec.columns:
        if col.kind != "boolean" or not _own_value(spec, col) or not (_words(col.name) & _FLAGS):
            continue
        fk = None
        for columns, where in partial_uniques(spec):
            if col.name in (where or "") and (fk := next((f for f, _ in parents if set(f.columns) == set(columns)),
                                                          None)) is not None:
                break
        if fk is None and len(parents) == 1:
            fk = parents[0][0]
        if fk is not None:
            out.append(Relation("exactly_one", col.name, fk.ref_table, fk.columns, None,
                                f"{col.name!r} marks the one {spec.fullname} row of each {fk.ref_table}"))
    return out


def _children(spec: TableSpec, parents: list[tuple[ForeignKeySpec, TableSpec]]) -> list[Relation]:
    words = _words(spec.fullname)
    if not words & _LINES:
        return []
    stems = {_singular(w) for w in words - _LINES}
    for fk, parent in parents:
        headers = {"order", "invoice", "cart", "basket", "receipt", "purchase", "bill", "quote"}
        if {_singular(w) for w in _words(parent.fullname)} & (stems or headers):
            return [Relation("children", fk.columns[0], parent.fullname, fk.columns, _CHILDREN,
                             f"a {_singular(parent.fullname)} has its {spec.fullname} (from the names)")]
    return []


# --- declarations ----------------------------------------------------------------------------------------
def _declared(specs: list[TableSpec], option: Any) -> tuple[dict, set, bool]:
    if option is None or option is True:
        return {}, set(), False
    if option is False:
        return {}, set(), True
    if not isinstance(option, Mapping):
        raise SchemaError(f"relations must be True, False or a mapping such as {{'orders.order_date': None}}; "
                          f"got {option!r}.")
    from .seed_request import _column_target

    by_name = {s.fullname: s for s in specs}
    declared: dict[tuple[str, str], Relation] = {}
    off: set[tuple[str, str]] = set()
    for key, value in option.items():
        try:
            spec, column = _column_target(key, specs)
        except SchemaError as exc:
            raise SchemaError(f"relations key {key!r}: {exc}") from None
        if value is None or value is False:
            off.add((spec.fullname, column))
            continue
        declared[(spec.fullname, column)] = parse_relation(spec, column, value, by_name, "option")
    return declared, off, False


def _info_value(col: ColumnSpec) -> Any:
    hint = col.hint
    return hint.get("relation", ...) if isinstance(hint, Mapping) else ...


def _info_off(col: ColumnSpec) -> bool:
    return _info_value(col) in (None, False)


def _from_info(spec: TableSpec, col: ColumnSpec, by_name: Mapping[str, TableSpec]) -> Relation | None:
    value = _info_value(col)
    if value is ... or value in (None, False):
        return None
    return parse_relation(spec, col.name, value, by_name, "info")


_AGGREGATE = re.compile(r"^\s*(sum|count)\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)


def parse_relation(spec: TableSpec, column: str, value: Any, by_name: Mapping[str, TableSpec],
                   declared: str = "option") -> Relation:
    """A declared relation on ``spec.column``: ``"after T.c"``, ``"from T.c"`` (or ``{"from": "T.c",
    "discount": (share, largest)}``), ``"sum(T.expr)"``, ``"count(T)"`` or ``"one per T"``."""
    where = f"relation for {spec.fullname}.{column}"
    discount = None
    if isinstance(value, Mapping):
        unknown = set(value) - {"from", "after", "discount"}
        if unknown or not ({"from", "after"} & set(value)):
            raise SchemaError(f"{where}: a mapping takes 'from' or 'after' (and 'discount'); got {dict(value)!r}.")
        kind = "from" if "from" in value else "after"
        discount = _discount(where, value.get("discount"))
        value = f"{kind} {value[kind]}"
    if not isinstance(value, str):
        raise SchemaError(f"{where}: expected a string such as 'after customers.created_at', 'from products.price', "
                          f"'sum(order_items.quantity * order_items.unit_price)', 'count(order_items)' or "
                          f"'one per customers'; got {value!r}.")
    text = value.strip()
    reason = f"declared ({declared}): {text!r}"
    if (m := _AGGREGATE.match(text)) is not None:
        func, inner = m.group(1).lower(), m.group(2).strip()
        child = _child_table(where, spec, inner, by_name, func)
        fk = _fk_between(where, by_name[child], spec.fullname)
        if func == "count":
            return Relation("aggregate", column, child, fk.columns, "count(*)", reason, declared)
        expr = re.sub(rf"\b{re.escape(child)}\.", "", inner)
        for name in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expr):
            if not by_name[child].has_column(name):
                raise SchemaError(f"{where}: {child!r} has no column {name!r} (in {inner!r}).")
        return Relation("aggregate", column, child, fk.columns, f"sum({expr})", reason, declared)
    m = re.match(r"^(after|from|=|one per|at the domain of|at domain of)\s+(.+)$", text, re.IGNORECASE)
    if m is None:
        raise SchemaError(f"{where}: cannot read {text!r}; write 'after T.column', 'from T.column', 'sum(T.expr)', "
                          "'count(T)' or 'one per T'.")
    word, rest = m.group(1).lower(), m.group(2).strip()
    if word == "one per":
        parent = _known_table(where, rest, by_name)
        fk = _fk_between(where, spec, parent)
        return Relation("exactly_one", column, parent, fk.columns, None, reason, declared)
    if "." not in rest:
        raise SchemaError(f"{where}: name the parent column as 'table.column'; got {rest!r}.")
    table, source = rest.rsplit(".", 1)
    parent = _known_table(where, table, by_name)
    if not by_name[parent].has_column(source):
        raise SchemaError(f"{where}: {parent!r} has no column {source!r}.")
    fk = _fk_between(where, spec, parent)
    kind = "after_parent" if word == "after" else "domain_from_parent" if "domain" in word else "from_parent"
    return Relation(kind, column, parent, fk.columns, by_name[parent].column(source).name, reason, declared, discount)


def _discount(where: str, value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        share, largest = (float(v) for v in value)
    except (TypeError, ValueError):
        raise SchemaError(f"{where}: discount must be (share of rows, largest discount), e.g. (0.3, 0.2); "
                          f"got {value!r}.") from None
    if not (0 <= share <= 1 and 0 <= largest < 1):
        raise SchemaError(f"{where}: discount shares must be in [0, 1] and the largest discount in [0, 1); "
                          f"got {value!r}.")
    return share, largest


def _known_table(where: str, name: str, by_name: Mapping[str, TableSpec]) -> str:
    for full, spec in by_name.items():
        if spec.matches(name):
            return full
    raise SchemaError(f"{where}: {name!r} is not among the seeded tables ({', '.join(sorted(by_name))}).")


def _child_table(where: str, spec: TableSpec, inner: str, by_name: Mapping[str, TableSpec], func: str) -> str:
    name = inner.split(".", 1)[0].strip() if (func == "sum" or "." in inner) else inner.strip()
    if func == "count" and name in ("*", ""):
        raise SchemaError(f"{where}: say which table to count, e.g. 'count(order_items)'.")
    return _known_table(where, re.split(r"\s", name)[0], by_name)


def _fk_between(where: str, child: TableSpec, parent: str) -> ForeignKeySpec:
    fks = [fk for fk in child.foreign_keys if fk.ref_table == parent]
    if not fks:
        raise SchemaError(f"{where}: {child.fullname!r} has no foreign key to {parent!r}.")
    return fks[0]
