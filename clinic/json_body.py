"""Parse a JSON request body safely: bounded nesting, no lone surrogates.

``json.loads`` recurses once per nesting level, so a few kilobytes of ``[[[[...`` end in a
RecursionError (a 500), and it accepts ``"\\ud800"``, a lone UTF-16 surrogate that no text
encoding can store, which PostgreSQL then refuses (another 500). Every JSON API parses its body
here and answers ``JsonBodyError`` with its usual 400 JSON error.
"""

import json
import re

MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")


class JsonBodyError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects, counting brackets outside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _has_surrogate(value) -> bool:
    if isinstance(value, str):
        return bool(_SURROGATE.search(value))
    if isinstance(value, dict):
        return any(_has_surrogate(k) or _has_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_surrogate(item) for item in value)
    return False


def json_body_parse(raw: bytes | str, *, max_depth: int = MAX_DEPTH):
    """The decoded JSON value, or ``JsonBodyError`` with a message fit for the client."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise JsonBodyError("The body is not valid UTF-8.") from exc
    if _nesting_depth(text) > max_depth:
        raise JsonBodyError(f"The JSON is nested more than {max_depth} levels deep.")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise JsonBodyError("The body is not valid JSON.") from exc
    if _has_surrogate(data):
        raise JsonBodyError("The JSON contains an unpaired surrogate (\\ud800-\\udfff).")
    return data
