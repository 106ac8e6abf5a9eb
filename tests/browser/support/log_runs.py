"""Logs runs with the real MLflow Python client, as a user's training script would.

Usage: python log_runs.py EXPERIMENT_NAME  (MLFLOW_TRACKING_URI points at the tracker)
Prints the parent run id and the child run id on one line.
"""
import struct
import sys
import tempfile
import zlib
from pathlib import Path

import mlflow


def png(width: int, height: int) -> bytes:
    """A small gradient PNG, built without imaging libraries."""
    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in (x * 255 // width, y * 255 // height, 160))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def main() -> None:
    mlflow.set_experiment(sys.argv[1])
    with mlflow.start_run(run_name="py-parent") as parent:
        mlflow.log_params({"optimizer": "adam", "lr": 0.01})
        for step in range(200):
            mlflow.log_metric("loss", 1.0 / (1 + step * 0.05), step=step)
        mlflow.set_tag("team", "vision")
        with tempfile.TemporaryDirectory() as d:
            p = Path(d)
            (p / "plots").mkdir()
            (p / "plots" / "gradient.png").write_bytes(png(64, 48))
            (p / "notes.md").write_text("# Notes\n\nSome **markdown**.\n")
            (p / "table.csv").write_text("epoch,acc\n1,0.5\n2,0.75\n")
            (p / "report.html").write_text(
                "<html><body><h1 id=h>static</h1><script>document.getElementById('h').textContent='ran'</script></body></html>"
            )
            mlflow.log_artifacts(d)
        with mlflow.start_run(run_name="py-child", nested=True) as child:
            mlflow.log_param("fold", "1")
            mlflow.log_metric("loss", 0.5, step=0)
    print(parent.info.run_id, child.info.run_id)


if __name__ == "__main__":
    main()
