"""The API's request parser: JSON bodies and query strings, with no NUL.

PostgreSQL cannot store the NUL character in text, so a NUL anywhere in a
request would pass validation and fail deep in the database as a 500.
Refusing it here, where every request's data enters, covers every text
field of every endpoint, present and future, in one place.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser

NUL = "\x00"


class NulInText(ValueError):
    message = "text may not contain the NUL character (\\u0000)"


def _refuse_nul(data: Any) -> None:
    # iterative: a body nested hundreds deep must not exhaust the stack here
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if NUL in item:
                raise NulInText(NulInText.message)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


class StadiumParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        _refuse_nul(data)
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        _refuse_nul(result)
        return result
