#!/usr/bin/env python3
"""A tiny review-sentiment "model" for the Incident Workbench demo (standard library only).

It is deliberately naive, the way real models fail: it matches keywords case-sensitively, ignores
negation ("not good") and knows no typos, so it is confidently wrong on some inputs and flips its answer
when the same text is written in capitals.

Protocols
  predict command:  stdin {"inputs": [text, ...]}  ->  stdout {"predictions": [{"label", "confidence"}, ...]}
                    (what incidentWorkbench.model.predictCommand / iwb model --predict runs)
  batch:            predict.py --batch reviews.jsonl > predictions.jsonl
                    reviews.jsonl lines {"id", "text", "label", "group"} -> prediction lines
                    {"id", "input", "trueLabel", "predictedLabel", "confidence", "group"}
"""
import json
import math
import re
import sys

POSITIVE = {"great", "love", "excellent", "good", "fast", "perfect", "happy", "recommend", "works", "amazing", "nice"}
NEGATIVE = {"bad", "broken", "terrible", "slow", "refund", "hate", "awful", "poor", "worst", "crash", "late"}


def predict(text):
    if not isinstance(text, str):
        text = json.dumps(text)
    tokens = re.findall(r"[A-Za-z']+", text)  # case-sensitive on purpose: the demo's bug
    score = sum(t in POSITIVE for t in tokens) - sum(t in NEGATIVE for t in tokens)
    p_positive = 1.0 / (1.0 + math.exp(-1.5 * score))
    label = "positive" if p_positive > 0.5 else "negative"
    confidence = p_positive if label == "positive" else 1.0 - p_positive
    return {"label": label, "confidence": round(confidence, 6)}


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--batch":
        with open(sys.argv[2], encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                row = json.loads(line)
                p = predict(row["text"])
                out = {"id": row["id"], "input": row["text"], "trueLabel": row["label"],
                       "predictedLabel": p["label"], "confidence": p["confidence"], "group": row["group"]}
                sys.stdout.write(json.dumps(out) + "\n")
        return 0
    try:
        request = json.load(sys.stdin)
        inputs = request["inputs"]
        if not isinstance(inputs, list):
            raise ValueError('"inputs" must be a list')
    except (ValueError, KeyError, TypeError) as e:
        sys.stderr.write(f'predict.py: expected {{"inputs": [...]}} on stdin: {e}\n')
        return 2
    json.dump({"predictions": [predict(x) for x in inputs]}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
