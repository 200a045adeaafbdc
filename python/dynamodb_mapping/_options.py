"""Per-call options under both spellings: the original's boto3 keyword arguments
(``ProjectionExpression``, ``FilterExpression``, ``ConsistentRead``, ``Limit``,
``ConditionExpression`` with ``ExpressionAttributeNames``/``ExpressionAttributeValues``) and
pythonic ones (``projection``, ``filter``, ``consistent_read``, ``page_size``, ``condition``).
An argument neither knows is a TypeError, never silently dropped."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from . import _core


def projection_of(kwargs: Dict[str, Any]) -> Optional[List[str]]:
    """``projection`` (names), or ``ProjectionExpression`` ("a, #b") with its names."""
    if "projection" in kwargs:
        value = kwargs.pop("projection")
        return [value] if isinstance(value, str) else value
    expression = kwargs.pop("ProjectionExpression", None)
    if expression is None:
        return None
    names = kwargs.get("ExpressionAttributeNames") or {}
    out = []
    for part in expression.split(","):
        part = part.strip()
        if not part:
            continue
        out.append(names.get(part, part) if part.startswith("#") else part)
    return out


def _boto3_condition(condition: Any, names: Dict[str, str], values: Dict[str, Any]) -> Any:
    """A boto3 condition object (boto3.dynamodb.conditions), rendered by boto3's own builder."""
    from boto3.dynamodb.conditions import ConditionExpressionBuilder  # only when one is passed

    built = ConditionExpressionBuilder().build_expression(condition)
    return _core.Condition(
        built.condition_expression,
        {**names, **built.attribute_name_placeholders},
        {**values, **built.attribute_value_placeholders},
    )


def _expression(expression: Any, kwargs: Dict[str, Any]) -> Any:
    if expression is None or isinstance(expression, _core.Condition):
        return expression
    names = kwargs.pop("ExpressionAttributeNames", None) or {}
    values = kwargs.pop("ExpressionAttributeValues", None) or {}
    if isinstance(expression, str):
        return _core.Condition(expression, names, values)
    if hasattr(expression, "get_expression"):
        return _boto3_condition(expression, names, values)
    raise TypeError(
        "a condition is a dynamodb_mapping.Condition, an expression string or a boto3 condition, "
        f"not {type(expression).__name__}"
    )


def _reject_rest(kwargs: Dict[str, Any], call: str) -> None:
    kwargs.pop("ExpressionAttributeNames", None)
    kwargs.pop("ExpressionAttributeValues", None)
    if kwargs:
        name = next(iter(kwargs))
        raise TypeError(f"{call}() got an unexpected keyword argument {name!r}")


def condition_of(kwargs: Dict[str, Any], call: str) -> Any:
    """``condition`` or ``ConditionExpression`` (a write's condition), or None."""
    kwargs = dict(kwargs)
    expression = kwargs.pop("condition", None)
    if expression is None:
        expression = kwargs.pop("ConditionExpression", None)
    condition = _expression(expression, kwargs)
    _reject_rest(kwargs, call)
    return condition


def read_kwargs(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """The options of get_item / get."""
    kwargs = dict(kwargs)
    out: Dict[str, Any] = {}
    consistent = kwargs.pop("consistent_read", kwargs.pop("ConsistentRead", None))
    if consistent is not None:
        out["consistent_read"] = bool(consistent)
    projection = projection_of(kwargs)
    if projection is not None:
        out["projection"] = projection
    _reject_rest(kwargs, "get_item")
    return out


def scan_kwargs(kwargs: Dict[str, Any]) -> Dict[str, Any]:
    """The options of scan."""
    kwargs = dict(kwargs)
    out: Dict[str, Any] = {}
    projection = projection_of(kwargs)
    if projection is not None:
        out["projection"] = projection
    expression = kwargs.pop("filter", None)
    if expression is None:
        expression = kwargs.pop("FilterExpression", None)
    condition = _expression(expression, kwargs)
    if condition is not None:
        out["filter"] = condition
    consistent = kwargs.pop("consistent_read", kwargs.pop("ConsistentRead", None))
    if consistent is not None:
        out["consistent_read"] = bool(consistent)
    limit = kwargs.pop("page_size", kwargs.pop("Limit", None))
    if limit is not None:
        out["page_size"] = int(limit)
    if "segments" in kwargs:
        out["segments"] = int(kwargs.pop("segments"))
    if "Segment" in kwargs or "TotalSegments" in kwargs:
        raise TypeError("scan(): Segment/TotalSegments are not supported; segments=N scans all "
                        "N segments in parallel")
    _reject_rest(kwargs, "scan")
    return out
