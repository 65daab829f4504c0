"""Turns a request payload into the fixed-length feature vector the model expects."""
from .personalisation import remember_per_user
FEATURE_COUNT = 16

@remember_per_user
def extract_features(payload):
    values = payload.get("features")
    if not isinstance(values, list):
        raise TypeError("features must be a list of numbers")
    if len(values) != FEATURE_COUNT:
        raise ValueError(f"Invalid input shape: expected {FEATURE_COUNT} features, got {len(values)}")
    return [float(v) for v in values]


def normalise(vector):
    norm = sum(v * v for v in vector) ** 0.5
    if norm == 0:
        raise ZeroDivisionError("feature vector has zero norm")
    return [v / norm for v in vector]
