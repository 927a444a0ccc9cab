"""The short digest a browser component keeps of the data it drew: it redraws only
when the digest of new data differs (the heatmap, the inside-α strips)."""

from __future__ import annotations

import hashlib
import json


def signature(value) -> str:
    """16 hex digits of a BLAKE2b digest of ``value`` as JSON (plain data only)."""
    blob = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(blob.encode("utf-8"), digest_size=8).hexdigest()
