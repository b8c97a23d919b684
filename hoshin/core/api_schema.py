"""What the generated OpenAPI schema cannot tell by itself, added once for every register.

drf-spectacular documents each operation's success; this hook adds the refusals every
operation can answer with (all JSON, one ``Error`` shape), that an update must carry the
``version`` it read, the transitions each register's workflow knows, a decimal
pattern that does not allow an empty string, and the ``fields`` and ``view`` a read of
a register takes. Registered in ``SPECTACULAR_SETTINGS``.
"""

from __future__ import annotations

import re
from typing import Any

from hoshin.core.api import BRIEF, VIEWS, readable_fields
from hoshin.core.registry import registry

ERROR = {
    "type": "object",
    "description": (
        "What was refused: ``detail`` (and ``code``) for the request as a whole, or a list "
        "of messages for each field at fault (``non_field_errors`` for the record as a whole)."
    ),
    "additionalProperties": True,
}
REFUSALS = {
    "400": "The request is invalid: the body names each field at fault.",
    "401": "No or an unknown token.",
    "403": "You may not do this (a role, an owner or the record's state decides).",
    "404": "No such record that you may see, or no such page of a list.",
    "409": "The record changed since you read it (send the version you read), or its "
    "state does not allow this now.",
    "413": "The body is larger than the server accepts.",
    "415": "The body is not JSON.",
    "429": "Too many attempts: wait before trying again (a token: a minute; signing a step: "
    "locked for a while after wrong passwords).",
}
DECIMAL = r"^-?(?:\d{1,%(whole)s}(?:\.\d{0,%(part)s})?|\.\d{1,%(part)s})$"


def complete(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    for schema in schemas.values():
        _decimals(schema)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            _refusals(path, method, operation)
            if method in ("put", "patch") and "{id}" in path:
                _version_required(operation)
            if path.endswith("/{id}/transition/"):
                _transitions(path.split("/")[2], operation, schemas)
            if method == "get" and re.fullmatch(r"/api/[^/]+/(\{id\}/)?", path):
                _sparse(path.split("/")[2], operation, schemas)
    return result


def _sparse(slug: str, operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """A register's list and record take ``fields`` and ``view``; the answer then has
    only some of the record's properties, as a component without required ones."""
    try:
        rt = registry.get(slug)
    except KeyError:
        return
    known = list(readable_fields(rt.serializer_class))
    brief = [n for n in BRIEF if n in known]
    operation.setdefault("parameters", []).extend(
        [
            {
                "in": "query",
                "name": "fields",
                "schema": {"type": "array", "items": {"type": "string", "enum": known}},
                "style": "form",
                "explode": False,
                "description": "Only these fields, comma-separated (in the record's order); "
                "empty for all. An unknown name answers 400, naming it. Wins over ``view``.",
            },
            {
                "in": "query",
                "name": "view",
                "schema": {"type": "string", "enum": list(VIEWS)},
                "description": f"``brief`` for {', '.join(brief)} only; ``full`` "
                "(the default) for every field.",
            },
        ]
    )
    name = rt.model.__name__
    if name not in schemas:
        return
    sparse = f"{name}Sparse"
    schemas[sparse] = {
        **{k: v for k, v in schemas[name].items() if k != "required"},
        "description": f"A {name} with only the fields asked for (``fields``, ``view``).",
    }
    either = {
        "anyOf": [
            {"$ref": f"#/components/schemas/{name}"},
            {"$ref": f"#/components/schemas/{sparse}"},
        ]
    }
    for content in operation.get("responses", {}).get("200", {}).get("content", {}).values():
        ref = content["schema"].get("$ref", "")
        page = (
            schemas.get(ref.rsplit("/", 1)[-1], {})
            if ref != f"#/components/schemas/{name}"
            else None
        )
        if page is None:
            content["schema"] = either
        elif "results" in page.get("properties", {}):
            page["properties"]["results"]["items"] = either


def _refusals(path: str, method: str, operation: dict[str, Any]) -> None:
    codes = ["400", "401", "403", "404"]
    if "requestBody" in operation:
        codes += ["413", "415"]
    if method != "get" and "{id}" in path:
        codes.append("409")
    # A token after too many tries; a signed step after too many wrong passwords.
    if path.endswith(("/auth/token/", "/transition/")):
        codes.append("429")
    responses = operation.setdefault("responses", {})
    # Refusals are JSON, but where the success comes first in another type (the schema
    # itself, in YAML) they come in that success's types.
    types = list(responses.get("200", {}).get("content", {})) or ["application/json"]
    if types[0] == "application/json":
        types = ["application/json"]
    error = {"schema": {"$ref": "#/components/schemas/Error"}}
    for code in codes:
        responses.setdefault(
            code, {"description": REFUSALS[code], "content": dict.fromkeys(types, error)}
        )


def _version_required(operation: dict[str, Any]) -> None:
    """The serializer takes ``version`` on create too, so the component cannot require it:
    an update refuses a body without it (a stale one answers 409)."""
    for content in operation.get("requestBody", {}).get("content", {}).values():
        content["schema"] = {"allOf": [content["schema"], {"required": ["version"]}]}


def _transitions(slug: str, operation: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Each register's transition request names the transitions of its own workflow."""
    try:
        workflow = registry.get(slug).workflow
    except KeyError:
        return
    name = f"{registry.get(slug).model.__name__}TransitionRequest"
    for content in operation.get("requestBody", {}).get("content", {}).values():
        ref = content["schema"].get("$ref", "")
        base = schemas.get(ref.rsplit("/", 1)[-1])
        if base is None:
            continue
        own = {**base, "properties": dict(base["properties"])}
        own["properties"]["transition"] = {
            "type": "string",
            "enum": sorted({t.name for t in workflow.transitions}),
            "description": "One of the transitions available from the record's state "
            "(``available_transitions``); another answers 400 or 409.",
        }
        record = schemas.get(registry.get(slug).model.__name__, {}).get("properties", {})
        for field, steps in _step_fields(workflow).items():
            if field in record:
                prop = {k: v for k, v in record[field].items() if k != "readOnly"}
                prop["description"] = (
                    f"Set by the step{'s' if len(steps) > 1 else ''} {', '.join(steps)} "
                    "(only those); a field the step does not carry answers 400."
                )
                own["properties"][field] = prop
        schemas[name] = own
        content["schema"] = {"$ref": f"#/components/schemas/{name}"}


def _step_fields(workflow: Any) -> dict[str, list[str]]:
    """The fields the steps carry, with the steps that carry each."""
    found: dict[str, list[str]] = {}
    for t in workflow.transitions:
        for field in t.step_fields:
            found.setdefault(field, []).append(t.name)
    return found


def _decimals(schema: Any) -> None:
    """drf-spectacular's decimal pattern matches ""; DRF refuses it."""
    if isinstance(schema, dict):
        if schema.get("format") == "decimal" and "pattern" in schema:
            whole, part = _digits(schema["pattern"])
            schema["pattern"] = (
                DECIMAL % {"whole": whole, "part": part} if part != "0" else rf"^-?\d{{1,{whole}}}$"
            )
        for value in schema.values():
            _decimals(value)
    elif isinstance(schema, list):
        for value in schema:
            _decimals(value)


def _digits(pattern: str) -> tuple[str, str]:
    """The counts in drf-spectacular's ``^-?\\d{0,W}(?:\\.\\d{0,P})?$``."""
    found = re.findall(r"\\d\{0,(\d+)\}", pattern)
    if len(found) == 2:
        return found[0], found[1]
    return (found[0], "0") if found else ("30", "30")
