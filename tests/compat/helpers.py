"""Helpers shared by the compat test modules (import as `from helpers import ...`)."""

from __future__ import annotations

import os
import uuid

import pytest
import requests

TARGET = os.environ.get("TRACKER_TARGET", "tracker").strip().lower()
IS_MLFLOW = TARGET == "mlflow"
EXTERNAL_URI = os.environ.get("TRACKER_URI", "").strip().rstrip("/")


def unique_name(prefix: str = "compat") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"




def assert_error(resp: requests.Response, status: int | tuple[int, ...], code: str | None = None) -> dict:
    """Assert an MLflow-format error response and return its JSON body."""
    statuses = status if isinstance(status, tuple) else (status,)
    assert resp.status_code in statuses, (
        f"{resp.request.method} {resp.request.url} -> HTTP {resp.status_code}, expected {statuses}; "
        f"body: {resp.text[:500]}"
    )
    try:
        body = resp.json()
    except ValueError:
        raise AssertionError(f"error body is not JSON: {resp.text[:500]!r}") from None
    assert isinstance(body, dict) and "error_code" in body and "message" in body, body
    assert isinstance(body["message"], str) and body["message"], body
    if code is not None:
        assert body["error_code"] == code, f"expected {code}, got {body}"
    return body


def user_error_status(mlflow_status: int = 400) -> int:
    """HTTP status for a user error: tracker always answers 400 where MLflow may answer 500."""
    return mlflow_status if IS_MLFLOW else 400


tracker_only = pytest.mark.skipif(IS_MLFLOW, reason="deliberate tracker difference from MLflow")
