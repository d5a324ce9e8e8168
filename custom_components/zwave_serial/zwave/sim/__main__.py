"""``python -m custom_components.zwave_serial.zwave.sim`` runs the simulator."""

from __future__ import annotations

import sys

from .demo import main

if __name__ == "__main__":
    sys.exit(main())
