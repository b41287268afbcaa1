"""The configuration is read once from the environment and refuses bad values by name."""
from __future__ import annotations

from pathlib import Path

import pytest

from flowledger_validator.config import ConfigError, load_config


def test_defaults() -> None:
    config = load_config({})

    assert config.port == 50061
    assert config.max_xml_bytes == 5 * 1024 * 1024
    assert config.xsd_dir.parts[-3:] == ("var", "validator", "xsd")


def test_the_environment_overrides_the_defaults() -> None:
    config = load_config(
        {"FLOWLEDGER_VALIDATOR_PORT": "50999", "FLOWLEDGER_VALIDATOR_MAX_XML_BYTES": "1024"}
    )

    assert (config.port, config.max_xml_bytes) == (50999, 1024)


@pytest.mark.parametrize("value", ["abc", "0", "-5"])
def test_a_bad_value_is_refused_by_name(value: str) -> None:
    with pytest.raises(ConfigError, match="FLOWLEDGER_VALIDATOR_PORT"):
        load_config({"FLOWLEDGER_VALIDATOR_PORT": value})


def test_metrics_and_log_defaults() -> None:
    config = load_config({})

    assert (config.metrics_bind_host, config.metrics_port, config.log_level) == (
        "0.0.0.0",
        9465,
        "INFO",
    )


def test_metrics_and_log_settings_come_from_the_environment() -> None:
    config = load_config(
        {
            "FLOWLEDGER_VALIDATOR_METRICS_PORT": "19465",
            "FLOWLEDGER_VALIDATOR_METRICS_BIND_HOST": "127.0.0.1",
            "FLOWLEDGER_VALIDATOR_LOG_LEVEL": "warning",
        }
    )

    assert (config.metrics_bind_host, config.metrics_port, config.log_level) == (
        "127.0.0.1",
        19465,
        "WARNING",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FLOWLEDGER_VALIDATOR_METRICS_PORT", "x"),
        ("FLOWLEDGER_VALIDATOR_METRICS_PORT", "0"),
        ("FLOWLEDGER_VALIDATOR_METRICS_PORT", "70000"),
        ("FLOWLEDGER_VALIDATOR_LOG_LEVEL", "loud"),
    ],
)
def test_a_bad_metrics_or_log_setting_is_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_config({name: value})


def test_no_socket_unless_a_path_is_given() -> None:
    assert load_config({}).socket_path is None
    assert load_config({"FLOWLEDGER_VALIDATOR_SOCKET": ""}).socket_path is None
    assert load_config({"FLOWLEDGER_VALIDATOR_SOCKET": "/run/v.sock"}).socket_path == Path(
        "/run/v.sock"
    )


@pytest.mark.parametrize("value", ["var/run/validator.sock", "/" + "s" * 107])
def test_a_relative_or_too_long_socket_path_is_refused_by_name(value: str) -> None:
    with pytest.raises(ConfigError, match="FLOWLEDGER_VALIDATOR_SOCKET"):
        load_config({"FLOWLEDGER_VALIDATOR_SOCKET": value})


def test_both_transports_take_messages_up_to_twice_the_document_cap_plus_one_mib() -> None:
    config = load_config({"FLOWLEDGER_VALIDATOR_MAX_XML_BYTES": "1000"})

    assert config.max_message_bytes == 2000 + 1024 * 1024
