"""tracker's meta.yaml codec against PyYAML (what MLflow uses): every string survives both directions."""

from __future__ import annotations

import json
import math
import subprocess

import yaml

from conftest import DENO_FLAGS, REPO_ROOT, _deno

TRICKY = [
    "", " ", "plain", "on", "On", "ON", "off", "yes", "No", "y", "n", "Y", "N", "true", "False", "null", "Null",
    "~", "=", "<<", "0", "010", "0o17", "0x1F", "0b101", "1_000", "1:20", "190:20:30", "1e5", "1.5e5", "1.5e+5",
    ".5", "5.", ".inf", "-.inf", ".nan", "NaN", "inf", "2024-01-01", "2024-1-1 10:00:00", "12:30",
    "123456789012345678", "-7", "+7", "a: b", "a:b", "a #b", "#x", "- x", "-x", "? x", "!tag", "&a", "*a", "%p",
    "@x", "`x", "'quoted'", '"dq"', "it's", "{a: 1}", "[1, 2]", "a,b", "multi\nline", "trail\n", "\ttab",
    "lead ", " lead", "héllo ünïcode ✓", "emoji 🎉", "back\\slash", "ctrl\x07", "a" * 200, "c1\x9b",
    "bom\ufeff", "del\x7f",
    "file:///tmp/a b/c%20d", "mlflow-artifacts:/1/2", "s3://bucket/key", "C:\\path",
]
NUMBERS = [0, 1, -1, 1700000000000, 2**53 + 1, 123456789012345678901]


def run_codec(dump: list, parse: list[str]) -> dict:
    dump = [{"bigint": str(v)} if isinstance(v, int) and abs(v) > 2**53 else v for v in dump]
    p = subprocess.run(
        [_deno(), *DENO_FLAGS, str(REPO_ROOT / "tests" / "interchange" / "yaml_roundtrip.ts")],
        input=json.dumps({"dump": dump, "parse": parse}), capture_output=True, text=True, cwd=REPO_ROOT,
        check=True, timeout=300,
    )
    return json.loads(p.stdout)


def from_json(v):
    if isinstance(v, dict) and set(v) == {"bigint"}:
        return int(v["bigint"])
    if isinstance(v, dict) and set(v) == {"float"}:
        return float(v["float"])
    if isinstance(v, dict):
        return {k: from_json(x) for k, x in v.items()}
    if isinstance(v, list):
        return [from_json(x) for x in v]
    return v


def same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b and type(a) is type(b)


# YAML 1.1 line breaks: PyYAML folds them inside quoted scalars, YAML 1.2 parsers keep them as text.
# tracker writes them escaped (checked here); reading a file where PyYAML left them raw is not supported.
LINE_BREAKS = ["\u2028sep", "para\u2029", "x\u2028  y", "nel\x85"]


def test_pyyaml_reads_what_tracker_writes():
    values = [*TRICKY, *LINE_BREAKS, *NUMBERS, None]
    out = run_codec(values, [])
    for value, text in zip(values, out["dumped"]):
        got = yaml.safe_load(text)["v"]
        assert same(got, value), f"{value!r} dumped as {text!r}, PyYAML reads {got!r}"


def test_tracker_reads_what_pyyaml_writes():
    docs = [yaml.safe_dump({"v": s}, default_flow_style=False, allow_unicode=True) for s in TRICKY]
    plain = ["v: on\n", "v: y\n", "v: 1e5\n", "v: 010\n", "v: 1_000\n", "v: 1:20\n", "v: .5\n", "v: ~\n",
             "v: 123456789012345678\n", "v: .NaN\n", "v: -.inf\n", "v: 2024-01-01\n", "v:\n"]
    out = run_codec([], docs + plain)
    for text, got in zip(docs + plain, out["parsed"]):
        want = yaml.safe_load(text)["v"]
        got = from_json(got)["v"]
        if hasattr(want, "isoformat"):  # PyYAML builds dates; tracker keeps their text (never read as dates)
            want = text.split(": ", 1)[1].strip()
        assert same(got, want), f"{text!r}: PyYAML reads {want!r}, tracker reads {got!r}"
