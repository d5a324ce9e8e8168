"""Long fuzzing run: the test suite's hypothesis properties with many more examples.

Properties (the same functions as the bounded CI tests, re-run with ``--examples``):

* frame parser (tests/driver/test_frame.py): arbitrary byte streams in arbitrary reads give only
  tokens and consistent counters; valid frames embedded in noise are all found; round trip;
* every command-class decoder (tests/cc/test_fuzz.py): a typed CCDecodeError or a usable
  command, never another exception;
* Serial API decoders (tests/driver/test_serialapi_messages.py): ``decode_response`` /
  ``decode_callback`` of every function raise only MessageDecodeError;
* ``encap.unwrap`` (tests/cc/test_encap.py): random nestings of encapsulation headers;
* plus, here: the whole receive pipeline on arbitrary ApplicationCommandHandler frames
  (Serial API decode -> unwrap -> value updates): only DecodeError subclasses.

``python bench/fuzz.py --examples 100000`` (per property; the per-command CC property splits
its budget over the commands).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench._common import table
from custom_components.zwave_serial.zwave.errors import DecodeError
from custom_components.zwave_serial.zwave.messaging import encap
from custom_components.zwave_serial.zwave.serialapi import get_function
from tests.cc import test_encap, test_fuzz
from tests.driver import test_frame, test_serialapi_messages


@given(
    rx_status=st.integers(0, 255),
    node=st.integers(0, 255),
    command=st.one_of(st.binary(max_size=64), test_fuzz.BOUNDARY),
    layers=st.lists(test_encap._LAYERS, max_size=3),
    length_delta=st.integers(-3, 3),
)
def pipeline_property(
    rx_status: int, node: int, command: bytes, layers: list[bytes], length_delta: int
) -> None:
    """ApplicationCommandHandler payload (possibly with a wrong length byte) -> decode -> unwrap."""
    data = b"".join(layers) + command
    payload = bytes((rx_status, node, max(0, min(255, len(data) + length_delta)))) + data
    definition = get_function(0x04)
    assert definition is not None and definition.decode_callback is not None
    try:
        message = definition.decode_callback(payload)
        unwrapped = encap.unwrap(message.command)
    except DecodeError:
        return
    for _endpoint, cmd in unwrapped.commands:
        cmd.value_updates()
        cmd.describe()


def _run(func: Callable[..., None], examples: int, **kwargs: Any) -> None:
    """Run a @given property with more examples (random, not derandomized like in CI)."""
    long = {
        "max_examples": examples,
        "deadline": None,
        "database": None,
        "derandomize": False,
        "suppress_health_check": list(HealthCheck),
    }
    current = getattr(func, "_hypothesis_internal_use_settings", None)
    if current is None:
        settings(**long)(func)(**kwargs)
        return
    # The CI tests carry their own @settings (hypothesis refuses a second decorator): replace it
    # for this run only.
    func._hypothesis_internal_use_settings = settings(current, **long)  # type: ignore[attr-defined]
    try:
        func(**kwargs)
    finally:
        func._hypothesis_internal_use_settings = current  # type: ignore[attr-defined]


def properties(examples: int) -> list[tuple[str, Callable[[], None], int]]:
    per_command = max(50, examples // max(1, len(test_fuzz.COMMANDS)))
    props: list[tuple[str, Callable[[], None], int]] = [
        (
            "frame parser: arbitrary bytes -> only tokens",
            lambda: _run(test_frame.test_fuzz_arbitrary_bytes_only_yield_tokens, examples),
            examples,
        ),
        (
            "frame parser: frames in noise are found",
            lambda: _run(test_frame.test_fuzz_frames_in_noise_are_found, examples),
            examples,
        ),
        ("frame codec: round trip", lambda: _run(test_frame.test_fuzz_roundtrip, examples), examples),
        (
            "CC decoders: any registered command",
            lambda: _run(test_fuzz.test_decode_payload_any_command, examples),
            examples,
        ),
        (
            "CC decoders: arbitrary bytes",
            lambda: _run(test_fuzz.test_decode_arbitrary_bytes, examples),
            examples,
        ),
    ]

    def each_command() -> None:
        for key, cls in test_fuzz.COMMANDS:
            _run(test_fuzz.test_decode_payload_per_command, per_command, key=key, cls=cls)

    props.append(
        (
            f"CC decoders: each of {len(test_fuzz.COMMANDS)} commands",
            each_command,
            per_command * len(test_fuzz.COMMANDS),
        )
    )
    props += [
        (
            "Serial API decoders: only MessageDecodeError",
            lambda: _run(
                test_serialapi_messages.test_fuzz_decoders_raise_only_message_decode_error, examples
            ),
            examples,
        ),
        (
            "encap.unwrap: nested encapsulation",
            lambda: _run(test_encap.test_unwrap_never_crashes, examples),
            examples,
        ),
        ("receive pipeline: 0x04 -> unwrap -> values", lambda: _run(pipeline_property, examples), examples),
    ]
    return props


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--examples", type=int, default=100_000, help="examples per property (default 100000)"
    )
    parser.add_argument("-k", dest="only", help="run only properties whose name contains this text")
    args = parser.parse_args(argv)
    rows = []
    failed = False
    for name, func, count in properties(args.examples):
        if args.only and args.only not in name:
            continue
        started = time.perf_counter()
        try:
            func()
            outcome = "ok"
        except Exception as err:  # a falsifying example: report it, keep going
            failed = True
            outcome = f"FAILED: {type(err).__name__}: {str(err)[:200]}"
        seconds = time.perf_counter() - started
        rows.append([name, count, seconds, outcome])
        print(f"{name}: {outcome} ({count:,} examples, {seconds:.1f} s)", flush=True)
    print()
    print(table(["property", "examples", "seconds", "result"], rows))
    print("\nRESULT: " + ("FAIL" if failed else "PASS"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
