"""Builds the integration's device database from Z-Wave JS's device configuration files.

``scripts/build_devicedb`` runs :mod:`tools.devicedb.build`; :mod:`tools.devicedb.json5` reads the
JSON-with-comments files of ``@zwave-js/config``.
"""
