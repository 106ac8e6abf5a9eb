"""MLflow reading a whole FileStore folder: every run (search_runs) and every metric history."""

from __future__ import annotations

import os
import sys

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
from mlflow.entities import ViewType  # noqa: E402
from mlflow.tracking import MlflowClient  # noqa: E402

c = MlflowClient("file://" + os.path.abspath(sys.argv[1]))
points = runs = 0
for e in c.search_experiments(view_type=ViewType.ALL):
    token = None
    while True:
        page = c.search_runs([e.experiment_id], run_view_type=ViewType.ALL, max_results=1000, page_token=token)
        for r in page:
            runs += 1
            for k in r.data.metrics:
                points += len(c.get_metric_history(r.info.run_id, k))
        token = page.token
        if not token:
            break
print(f"{runs} runs, {points} points")
