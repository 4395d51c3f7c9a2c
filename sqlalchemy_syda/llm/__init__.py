"""The optional LLM: realistic text from any OpenAI-compatible server, replayable offline.

``pip install 'sqlalchemy-syda[llm]'``. Nothing here is needed for the built-in generators, and
importing this package imports neither openai nor pydantic (they load on first use).

* :mod:`.config` - :class:`LLMConfig`, from the environment or explicit;
* :mod:`.prompts` - prompts from the metadata, in the seed document's format;
* :mod:`.records` - pydantic models and the strict request schema from the column specs;
* :mod:`.client` - structured requests with retries, timeouts, a concurrency limit, token counts;
* :mod:`.pools` / :mod:`.rows` - the two modes, each turning answers into per-column overrides;
* :mod:`.lockfile` - ``syda.lock.json``, replayed with no network;
* :mod:`.report` - calls, tokens, cost and time per table;
* :mod:`.source` - :class:`LLM`, what ``generate(llm=)`` and ``seed(llm=)`` take.

::

    >>> config = LLMConfig(base_url="http://127.0.0.1:8080/v1", model="local", lockfile=None)
    >>> LLM(config).mode_for(50), LLM(config).mode_for(50_000), MODES
    ('rows', 'pools', ('auto', 'pools', 'rows'))
"""

from .config import MODES, LLMConfig
from .lockfile import Lockfile
from .prompts import build_prompt
from .report import RunReport, TableReport
from .source import LLM, resolve_llm

__all__ = ["LLM", "MODES", "LLMConfig", "Lockfile", "RunReport", "TableReport", "build_prompt", "resolve_llm"]
