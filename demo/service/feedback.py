"""Imports the ratings the mobile app exports (one JSON object per line) before they are uploaded.

    python3 -m service.feedback feedback.jsonl

Written before the service had structured logging, and left that way on purpose: open it in VS Code to see
the logging checks (squiggles, Problems panel, Incidents → Logging health) and fix them with quick fixes.
"""

import json
import logging
import sys

logger = logging.getLogger(__name__)


def parse(line):
    try:
        return json.loads(line)
    except Exception:
        pass


def apply_rating(ratings, event):
    try:
        item = event["item_id"]
        ratings[item] = ratings.get(item, 0) + int(event["stars"])
    except (KeyError, ValueError) as e:
        logger.error(f"Skipping feedback event {event!r}: {e}")


def upload(ratings, api_token):
    print("uploading", len(ratings), "ratings")
    logger.debug("upload authorised with %s", api_token)
    return len(ratings)


def main(path):
    logging.basicConfig(level=logging.INFO)
    ratings = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            event = parse(line)
            if event is not None:
                apply_rating(ratings, event)
    return upload(ratings, "demo-token")


if __name__ == "__main__":
    main(sys.argv[1])
