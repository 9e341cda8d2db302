"""Bad requests get a clear 4xx, never a 500: the body-size limit and the error handlers.

- A body larger than `max_body_bytes` gets 413 (checked on Content-Length and while reading a
  chunked body); a URL carrying a NUL byte gets 400.
- Validation errors get 422 with one line per field (`errors: [{field, message}]`); the
  submitted values are not echoed back (they may hold secrets).
- chainbreaker's own errors map to 404 (NotFound), 403 (Forbidden), 422 (InvalidInput), 400.
- Anything else is logged with its traceback and answered 500 without details; the tests
  (schemathesis over the OpenAPI description) look for any such answer.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from chainbreaker.errors import ChainbreakerError, InvalidInput
from chainbreaker.exchange.problems import Forbidden, NotFound

__all__ = ["BodyLimit", "install_error_handlers"]

_log = logging.getLogger("chainbreaker.exchange")


class BodyLimit:
    """ASGI middleware: 413 for bodies over `max_bytes`, 400 for NUL bytes in the URL."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope.get("path", ""):
            await _answer(send, 400, "the URL contains a NUL character")
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await _answer(send, 400, "Content-Length is not a number")
                    return
                if declared > self.max_bytes:
                    await _answer(send, 413, self._too_large())
                    return
        messages: list[Message] = []
        size = 0
        more = True
        while more:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > self.max_bytes:
                await _answer(send, 413, self._too_large())
                return
            more = message.get("more_body", False)

        async def replay() -> Message:
            if messages:
                return messages.pop(0)
            return await receive()

        await self.app(scope, replay, send)

    def _too_large(self) -> str:
        return f"the request body is larger than {self.max_bytes:,} bytes"


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _field(loc: Any) -> str:
    return ".".join(str(x) for x in loc)


def install_error_handlers(app: FastAPI) -> None:
    """The handlers that turn every error into a clear answer."""

    @app.exception_handler(RequestValidationError)
    async def _invalid(_req: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _field(e.get("loc", ())), "message": e.get("msg", "")} for e in exc.errors()
        ]
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        return JSONResponse({"detail": summary, "errors": errors}, status_code=422)

    @app.exception_handler(ChainbreakerError)
    async def _ours(_req: Request, exc: ChainbreakerError) -> JSONResponse:
        status = 400
        if isinstance(exc, NotFound):
            status = 404
        elif isinstance(exc, Forbidden):
            status = 403
        elif isinstance(exc, InvalidInput):
            status = 422
        return JSONResponse({"detail": str(exc)}, status_code=status)

    @app.exception_handler(Exception)
    async def _unexpected(req: Request, exc: Exception) -> JSONResponse:
        _log.error("unexpected error on %s %s", req.method, req.url.path, exc_info=exc)
        return JSONResponse(
            {"detail": "internal error; the server log has the details"}, status_code=500
        )
