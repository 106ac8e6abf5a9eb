"""Logs one run with a dataset input and an MLflow 3 logged model, with the real MLflow Python client.

Usage: python log_dataset_model.py EXPERIMENT_NAME  (MLFLOW_TRACKING_URI points at the tracker)
Prints the run id and the logged model id on one line. The model is only logged, never loaded.
"""
import sys
import warnings

import mlflow
import pandas as pd
from sklearn.linear_model import LogisticRegression


def main() -> None:
    warnings.filterwarnings("ignore")
    mlflow.set_experiment(sys.argv[1])
    with mlflow.start_run(run_name="py-model-run") as run:
        df = pd.DataFrame(
            {
                "sepal_length": [5.1, 4.9, 6.2, 5.9],
                "petal_width": [0.2, 0.1, 1.8, 1.5],
                "label": [0, 0, 1, 1],
            }
        )
        mlflow.log_input(mlflow.data.from_pandas(df, name="iris-mini"), context="training")
        features = df[["sepal_length", "petal_width"]]
        model = LogisticRegression().fit(features, df["label"])
        info = mlflow.sklearn.log_model(
            model, name="clf", input_example=features.head(2), params={"C": "1.0"}
        )
        mlflow.log_metric("accuracy", 0.95, model_id=info.model_id)
    print(run.info.run_id, info.model_id)


if __name__ == "__main__":
    main()
