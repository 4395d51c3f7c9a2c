"""LLM configuration from the environment or explicit, and what llm= accepts."""

from __future__ import annotations

import logging

import pytest

from sqlalchemy_syda import LLM, LLMConfig, SchemaError, SyntheticDataGenerator, generate
from sqlalchemy_syda.llm import source
from sqlalchemy_syda.llm.source import NO_LLM_MESSAGE, resolve_llm


def test_nothing_configured_means_no_llm():
    """Test that without OPENAI_API_KEY, OPENAI_BASE_URL or SYDA_LLM_MODEL there is no configuration."""
    assert LLMConfig.from_env({"HOME": "/root", "SYDA_LLM_MODE": "pools"}) is None


def test_the_environment_configures_everything():
    """Test every variable the README lists."""
    config = LLMConfig.from_env({
        "OPENAI_BASE_URL": "http://127.0.0.1:8080/v1", "OPENAI_API_KEY": "sk-1", "SYDA_LLM_MODEL": "local",
        "SYDA_LLM_MODE": "pools", "SYDA_LLM_BATCH_SIZE": "5", "SYDA_LLM_POOL_SIZE": "40", "SYDA_LLM_ROWS_LIMIT": "7",
        "SYDA_LLM_TIMEOUT": "12.5", "SYDA_LLM_MAX_RETRIES": "1", "SYDA_LLM_CONCURRENCY": "2",
        "SYDA_LLM_REFRESH": "yes", "SYDA_LLM_OFFLINE": "0", "SYDA_LLM_PRICE": "0.15,0.60", "SYDA_LLM_LOCKFILE": ""})
    assert (config.base_url, config.api_key, config.model, config.mode) == \
        ("http://127.0.0.1:8080/v1", "sk-1", "local", "pools")
    assert (config.batch_size, config.pool_size, config.rows_limit, config.timeout, config.max_retries,
            config.concurrency) == (5, 40, 7, 12.5, 1, 2)
    assert (config.refresh, config.offline, config.price_per_million, config.lockfile) == \
        (True, False, (0.15, 0.6), None)


@pytest.mark.parametrize(("env", "message"), [
    ({"SYDA_LLM_MODEL": "m", "SYDA_LLM_BATCH_SIZE": "ten"}, "SYDA_LLM_BATCH_SIZE='ten' is not a valid batch size"),
    ({"SYDA_LLM_MODEL": "m", "SYDA_LLM_MODE": "fast"}, "LLM mode 'fast' is not one of auto, pools, rows"),
    ({"SYDA_LLM_MODEL": "m", "SYDA_LLM_POOL_SIZE": "0"}, "pool_size must be a positive integer"),
    ({"SYDA_LLM_MODEL": "m", "SYDA_LLM_OFFLINE": "maybe"}, "SYDA_LLM_OFFLINE='maybe' is not a valid offline"),
])
def test_bad_settings_are_clear_errors(env, message):
    """Test that a bad variable names itself and its value."""
    with pytest.raises(SchemaError, match=message):
        LLMConfig.from_env(env)


def test_auto_mode_picks_rows_for_small_tables_and_pools_for_large_ones():
    """Test the auto mode's threshold."""
    llm = LLM(LLMConfig(rows_limit=50, lockfile=None))
    assert (llm.mode_for(50), llm.mode_for(51)) == ("rows", "pools")
    assert LLM(LLMConfig(mode="rows", lockfile=None)).mode_for(10**6) == "rows"


def test_without_an_llm_everything_works_and_says_so_once(monkeypatch, caplog):
    """Test that llm='env' with nothing configured uses the built-in generators and logs one message."""
    for var in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "SYDA_LLM_MODEL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(source, "_announced", [False])
    with caplog.at_level(logging.WARNING, logger="sqlalchemy_syda.llm"):
        first = SyntheticDataGenerator()
        SyntheticDataGenerator()
        frame = generate({"id": "number", "email": "email"}, 5, llm="env")
    assert first.llm is None and len(frame) == 5
    assert caplog.text.count(NO_LLM_MESSAGE) == 1


def test_llm_accepts_configs_sources_and_nothing_else():
    """Test what resolve_llm() takes: None/False, an LLMConfig, an LLM; anything else is a SchemaError."""
    assert resolve_llm(None) is None and resolve_llm(False) is None
    llm = LLM(LLMConfig(lockfile=None))
    assert resolve_llm(llm) is llm
    assert isinstance(resolve_llm(LLMConfig(lockfile=None)), LLM)
    with pytest.raises(SchemaError, match="llm= takes None, 'env', an LLMConfig"):
        resolve_llm(42)
