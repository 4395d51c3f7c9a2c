"""The ``--llm``/``--mode``/``--lockfile``/``--refresh``/``--offline`` options and the LLM they ask for.

Shared by ``syda seed`` and ``syda generate``; without any of them no LLM is used (the built-in
generators write every column)::

    >>> llm_source(False, None, None, False, False, {}) is None
    True
"""

from __future__ import annotations

import click

__all__ = ["llm_options", "llm_source"]


def llm_options(fn):
    for decorator in reversed([
        click.option("--llm", "use_llm", is_flag=True,
                     help="let the LLM from the environment (OPENAI_*, SYDA_LLM_*) write text-like columns."),
        click.option("--mode", type=click.Choice(["auto", "pools", "rows"]), help="LLM mode (implies --llm)."),
        click.option("--lockfile", type=click.Path(dir_okay=False), help="LLM lockfile (default syda.lock.json)."),
        click.option("--refresh", is_flag=True, help="ask the LLM again and overwrite the lockfile (implies --llm)."),
        click.option("--offline", is_flag=True, help="answer only from the lockfile, no network (implies --llm)."),
    ]):
        fn = decorator(fn)
    return fn


def llm_source(use_llm: bool, mode: str | None, lockfile: str | None, refresh: bool, offline: bool,
                prompts: dict[str, str]):
    """The LLM the options ask for, or None (then the built-in generators; a message says so if --llm was given)."""
    if not (use_llm or mode or refresh or offline):
        return None
    from ..llm.config import LLMConfig
    from ..llm.source import LLM, resolve_llm

    changes = {k: v for k, v in (("mode", mode), ("lockfile", lockfile)) if v}
    changes.update({k: True for k, v in (("refresh", refresh), ("offline", offline)) if v})
    config = LLMConfig.from_env(**changes)
    if config is None:
        if not offline:
            return resolve_llm("env")
        config = LLMConfig(**changes)  # offline replay needs no server, only the lockfile
    return LLM(config, prompts=prompts)
