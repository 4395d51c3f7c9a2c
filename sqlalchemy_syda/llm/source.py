"""The LLM as a source of column values: what ``generate(..., llm=)`` and ``seed(..., llm=)`` take.

An :class:`LLM` joins a configuration, a client, the lockfile, the run report and per-table prompts.
Its :meth:`LLM.overrides` turns tables into per-column generators (pools or rows mode), which the
pipeline takes like any other override; keys and foreign keys always stay with the engine::

    llm = LLM(LLMConfig(base_url="http://127.0.0.1:8080/v1", model="local"), prompts={"Customer": "B2B SaaS customers"})
    frames = generate([Customer, Order], {Customer: 100_000, Order: 300_000}, llm=llm)
    print(llm.report)                    # calls, tokens, cost and time per table

What it would ask, without sending anything::

    >>> from sqlalchemy_syda import generate
    >>> from sqlalchemy_syda.introspect import table_spec
    >>> from sqlalchemy_syda.llm.config import LLMConfig
    >>> llm = LLM(LLMConfig(base_url="http://127.0.0.1:8080/v1", model="local", lockfile=None),
    ...           prompts={"Customer": "B2B SaaS customers"})
    >>> llm.mode_for(30), llm.mode_for(100_000)                 # auto: rows up to rows_limit, pools above
    ('rows', 'pools')
    >>> plan = llm.plan(table_spec(Customer), 100_000)
    >>> type(plan).__name__, len(plan.requests)                 # 50 records per group, 10 per request
    ('TablePools', 5)
    >>> "B2B SaaS customers" in plan.requests[0].prompt
    True

Offline, the answers must come from the lockfile a run with the LLM recorded::

    >>> offline = LLM(LLMConfig(model="local", offline=True, lockfile=str(tmp / "syda.lock.json")))
    >>> generate(Customer, 10, llm=offline)
    Traceback (most recent call last):
    sqlalchemy_syda.exceptions.LockfileError: Offline run (SYDA_LLM_OFFLINE): ...syda.lock.json has no answer
    for 'customers' (rows, batch 0) with model 'local' and this prompt. Run once with the LLM reachable to
    record it, or drop the offline setting.

``llm=`` also takes an :class:`~.config.LLMConfig`, an ``openai.OpenAI`` client, or ``"env"`` (the
environment's configuration; when there is none the built-in generators are used and a message
says so, once per process).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from ..exceptions import LockfileError, SchemaError
from ..generators.pools import DEFAULT_LOCALE
from ..specs import TableSpec
from .client import LLMClient
from .config import LLMConfig
from .lockfile import Lockfile, answer_key
from .pools import TablePools
from .report import RunReport
from .request import Request
from .rows import TableRows, ValuesOf

if TYPE_CHECKING:
    from ..recipe import TableRecipe

__all__ = ["LLM", "NO_LLM_MESSAGE", "resolve_llm"]

logger = logging.getLogger("sqlalchemy_syda.llm")
NO_LLM_MESSAGE = ("sqlalchemy-syda: no LLM configured (set OPENAI_API_KEY or OPENAI_BASE_URL, and SYDA_LLM_MODEL, "
                  "or pass llm=LLMConfig(...)); using the built-in generators.")
_announced = [False]


class LLM:
    """Configuration, client, lockfile, report and prompts of the optional LLM."""

    def __init__(self, config: LLMConfig | None = None, *, client: Any = None,
                 prompts: Mapping[Any, str | None] | None = None,
                 samples: Mapping[Any, Sequence[Mapping[str, Any]]] | None = None) -> None:
        """
        :param config: settings (default: the environment's, else the defaults).
        :param client: an ``openai.OpenAI`` client to use instead of building one.
        :param prompts: the user's prompt per table, keyed by model class, model name or table name.
        :param samples: example rows per table, sent only when ``config.share_samples`` is True.
        """
        self.config = config or LLMConfig.from_env() or LLMConfig()
        if samples and not self.config.share_samples:
            raise SchemaError("Sample rows were given to the LLM, but LLMConfig.share_samples is False: only schema "
                              "metadata is sent unless you opt in with share_samples=True.")
        self.prompts = dict(prompts or {})
        self.samples = dict(samples or {})
        self.report = RunReport(self.config.model)
        self._client = LLMClient(self.config, client)
        self._lockfile: Lockfile | None = None

    @classmethod
    def from_env(cls, **options: Any) -> LLM | None:
        """The LLM the environment configures (``OPENAI_*``, ``SYDA_LLM_*``), or None."""
        config = LLMConfig.from_env(**options)
        return None if config is None else cls(config)

    def with_prompts(self, prompts: Mapping[Any, str | None]) -> LLM:
        """The same LLM (client, lockfile, report) with other per-table prompts."""
        other = object.__new__(LLM)
        other.__dict__.update(self.__dict__)
        other.prompts = dict(prompts)
        return other

    @property
    def client(self) -> LLMClient:
        return self._client

    @property
    def lockfile(self) -> Lockfile:
        if self._lockfile is None:
            self._lockfile = Lockfile(self.config.lockfile, refresh=self.config.refresh)
        return self._lockfile

    def prompt_for(self, spec: TableSpec) -> str | None:
        return _lookup(self.prompts, spec)

    def mode_for(self, count: int) -> str:
        if self.config.mode != "auto":
            return self.config.mode
        return "rows" if count <= self.config.rows_limit else "pools"

    def plan(self, table: TableSpec | TableRecipe, count: int | None = None,
             overrides: Mapping[str, Any] | None = None, *, seed: int | None = 0, locale: str = DEFAULT_LOCALE,
             offset: int = 0, mode: str | None = None, values_of: ValuesOf | None = None) -> TablePools | TableRows:
        """The requests for one table (nothing is sent): pools or rows, as the mode and count say.

        ``table`` is a planned recipe, or a spec (planned here with ``count``, ``overrides``, ``seed``...).
        """
        if isinstance(table, TableSpec):
            from ..recipe_planner import TableInputs, table_recipe

            recipe = table_recipe(TableInputs(table, int(count or 0), offset, seed, locale,
                                              overrides=dict(overrides or {})))
        else:
            recipe = table
        kind = mode or self.mode_for(recipe.count)
        samples = _lookup(self.samples, recipe.spec)
        if kind == "pools":
            return TablePools(recipe, self.config, self.prompt_for(recipe.spec), samples)
        return TableRows(recipe, self.config, self.prompt_for(recipe.spec), samples, values_of)

    def overrides(self, recipes: Sequence[TableRecipe], user: Mapping[str, Mapping[str, Any]] | None = None, *,
                  values_of: ValuesOf | None = None) -> dict[str, dict[str, Any]]:
        """``{table: {column: generator}}`` for planned recipes; ``user`` overrides (per table) win."""
        user = user or {}
        plans = {}
        for recipe in recipes:
            if recipe.count:
                plans[recipe.name] = self.plan(recipe, values_of=values_of)
        requests = [r for p in plans.values() for r in p.requests]
        answers = self._answer_all(requests)
        out: dict[str, dict[str, Any]] = {}
        for recipe in recipes:
            spec, count = recipe.spec, recipe.count
            merged: dict[str, Any] = {}
            plan = plans.get(spec.fullname)
            if plan is not None:
                entry = self.report.table(spec.fullname)
                entry.rows += count
                if isinstance(plan, TablePools):
                    entry.mode = "pools"
                    gens, dropped, empty = plan.finish(answers)
                    if empty:
                        logger.warning("sqlalchemy-syda: the LLM gave no valid records for %s (%s); the built-in "
                                       "generators fill those columns.", spec.fullname, ", ".join(empty))
                else:
                    entry.mode = "rows"
                    gens, dropped = plan.finish(answers)
                self.report.add(spec.fullname, replaced=dropped)
                merged.update(gens)
            merged.update(user.get(spec.fullname, {}))
            out[spec.fullname] = merged
        self.lockfile.save()
        return out

    def _answer_all(self, requests: list[Request]) -> dict[Request, list[Any]]:
        if not requests:
            return {}
        with ThreadPoolExecutor(max_workers=min(self.config.concurrency, len(requests))) as pool:
            results = list(pool.map(self._answer, requests))
        return dict(zip(requests, results))

    def _answer(self, request: Request) -> list[Any]:
        """The records for one request: from the lockfile when it has them, else from the LLM."""
        cfg = self.config
        key = answer_key(request.spec or TableSpec(request.table, ()), request.prompt, request.schema, cfg.model, kind=request.kind,
                         group=request.group, batch=request.batch, temperature=cfg.temperature, seed=cfg.seed)
        stored = self.lockfile.get(key)
        if stored is not None:
            self.report.add(request.table, replayed=1)
            return list(stored.get("records") or [])
        if cfg.offline:
            raise LockfileError(
                f"Offline run (SYDA_LLM_OFFLINE): {self.lockfile.path or 'no lockfile'} has no answer for "
                f"{request.table!r} ({request.kind}{' ' + request.group if request.group else ''}, batch "
                f"{request.batch}) with model {cfg.model!r} and this prompt. Run once with the LLM reachable to "
                "record it, or drop the offline setting.")
        started = time.perf_counter()
        answer = self.client.ask(request.prompt, request.schema, request.table, max_tokens=request.max_tokens,
                                 seed_offset=request.batch)
        price_in, price_out = cfg.price_per_million
        cost = (answer.prompt_tokens * price_in + answer.completion_tokens * price_out) / 1e6
        self.report.add(request.table, calls=1, retries=answer.retries, prompt_tokens=answer.prompt_tokens,
                        completion_tokens=answer.completion_tokens, seconds=time.perf_counter() - started,
                        cost=cost)
        self.lockfile.put(key, {"table": request.table, "kind": request.kind, "group": request.group,
                                "batch": request.batch, "model": cfg.model,
                                "prompt_sha256": Lockfile.prompt_hash(request.prompt),
                                "prompt_tokens": answer.prompt_tokens, "completion_tokens": answer.completion_tokens,
                                "records": answer.records})
        return answer.records


def _lookup(mapping: Mapping[Any, Any], spec: TableSpec) -> Any:
    for key in (spec.model, spec.table, spec.model_name, spec.name, spec.fullname):
        if key is not None and key in mapping:
            return mapping[key]
    return None


def resolve_llm(value: Any, *, announce: bool = True) -> LLM | None:
    """``llm=`` as given (None, False, "env", True, LLMConfig, LLM, openai client) -> an LLM or None."""
    if value is None or value is False:
        return None
    if isinstance(value, LLM):
        return value
    if isinstance(value, LLMConfig):
        return LLM(value)
    if value is True or value == "env":
        llm = LLM.from_env()
        if llm is None and announce and not _announced[0]:
            _announced[0] = True
            logger.warning(NO_LLM_MESSAGE)
        return llm
    if hasattr(value, "chat") and hasattr(value, "with_options"):  # an openai.OpenAI client
        return LLM(LLMConfig.from_env() or LLMConfig(), client=value)
    raise SchemaError(f"llm= takes None, 'env', an LLMConfig, an LLM or an openai.OpenAI client; got "
                      f"{type(value).__name__}.")

