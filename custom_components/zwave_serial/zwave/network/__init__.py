"""The network: the controller's facts and start-up, node interviews, heal (and, as they
arrive, inclusion/exclusion, SmartStart and failed nodes).  Each piece reaches the driver
through a small interface (a ``typing.Protocol``), so it can be tested with a fake."""
