"""Configuration parameters (Configuration CC): the typed model and what can be done with it.

- :mod:`.model`: :class:`ConfigParameter` (one parameter or partial parameter, merged from the
  device's own description, Configuration v3+, and the device database), the list of a node's
  parameters and their current values;
- :mod:`.ops`: set with validation (by number or name, value by number or option label),
  partial parameters, bulk partial set, reset to defaults, and the interview's use of the
  device database.

``Node`` has shortcuts for all of these (``node.config_parameters()``,
``node.set_config_parameter(...)``...).
"""

from __future__ import annotations

from .model import (
    ConfigParameter,
    ValueType,
    config_parameters,
    find_parameter,
    parameter_value,
    raw_value,
    value_id,
)
from .ops import (
    bulk_set_partial_config_parameters,
    check_value,
    load_database_parameters,
    read_parameter,
    reset_config_parameters,
    resolve_parameter,
    set_config_parameter,
)

__all__ = [
    "ConfigParameter",
    "ValueType",
    "bulk_set_partial_config_parameters",
    "check_value",
    "config_parameters",
    "find_parameter",
    "load_database_parameters",
    "parameter_value",
    "raw_value",
    "read_parameter",
    "reset_config_parameters",
    "resolve_parameter",
    "set_config_parameter",
    "value_id",
]
