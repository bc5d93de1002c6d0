"""The API reference page, built from the app's own OpenAPI description (no CDN-hosted docs UI)."""
from __future__ import annotations

from typing import Any


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return spec["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else schema


def _type(spec: dict[str, Any], schema: dict[str, Any]) -> str:
    schema = _resolve(spec, schema)
    if "anyOf" in schema:
        return " | ".join(_type(spec, s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"array of {_type(spec, schema.get('items') or {})}"
    kind = schema.get("type") or schema.get("title") or "object"
    return f"{kind} ({schema['format']})" if schema.get("format") else str(kind)


def body_fields(spec: dict[str, Any], op: dict[str, Any]) -> list[dict[str, Any]]:
    """The fields of an operation's JSON body (of the object form, when an array is accepted too)."""
    content = (op.get("requestBody") or {}).get("content") or {}
    schema = _resolve(spec, (content.get("application/json") or {}).get("schema") or {})
    for key in ("oneOf", "anyOf"):
        options = [_resolve(spec, s) for s in schema.get(key, [])]
        objects = [o for o in options if o.get("properties")]
        if objects:
            schema = objects[0]
            break
    required = set(schema.get("required") or [])
    return [{"name": name, "required": name in required, "type": _type(spec, prop),
             "description": prop.get("description") or ""}
            for name, prop in (schema.get("properties") or {}).items()]


def reference(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per operation: method, path, summary, description, parameters, body fields, answers."""
    out = []
    for path, ops in spec.get("paths", {}).items():
        for method, op in ops.items():
            params = [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                       "type": _type(spec, p.get("schema") or {}), "default": (p.get("schema") or {}).get("default"),
                       "enum": _resolve(spec, p.get("schema") or {}).get("enum"),
                       "description": p.get("description") or (p.get("schema") or {}).get("description") or ""}
                      for p in op.get("parameters", [])]
            out.append({"method": method, "path": path, "id": op.get("operationId"), "summary": op.get("summary"),
                        "description": op.get("description") or "", "parameters": params,
                        "body": body_fields(spec, op), "secured": bool(op.get("security")),
                        "responses": {code: r.get("description", "") for code, r in op.get("responses", {}).items()}})
    return out
