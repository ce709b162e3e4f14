"""The simulator's HTTP face: Weibo's `/2/<resource>.json` and `/oauth2/*`, and a `/_sim/*`
control plane for tests and the demo (reset, users, tokens, citizens' comments, pushes, faults).
"""

from __future__ import annotations

import hashlib
import html
import json
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from govmatrix.platforms.weibo.simulator.faults import FaultStore, apply
from govmatrix.platforms.weibo.simulator.world import SimConfig, User, WeiboError, World
from govmatrix.platforms.weibo.text import format_time

Handler = Callable[[World, User, dict[str, str]], Any]

# resource -> (HTTP method, handler)
ROUTES: dict[str, tuple[str, Handler]] = {
    "statuses/share": ("POST", lambda w, u, p: w.share(u, p, has_picture=p.get("_pic") == "1")),
    "statuses/repost": ("POST", lambda w, u, p: w.repost(u, p)),
    "statuses/destroy": ("POST", lambda w, u, p: w.destroy(u, p)),
    "statuses/show": ("GET", lambda w, u, p: w.status_show(u, p)),
    "statuses/user_timeline": ("GET", lambda w, u, p: w.user_timeline(u, p)),
    "statuses/mentions": ("GET", lambda w, u, p: w.status_mentions(u, p)),
    "statuses/count": ("GET", lambda w, u, p: w.counts(u, p)),
    "comments/show": ("GET", lambda w, u, p: w.comments_show(u, p)),
    "comments/to_me": ("GET", lambda w, u, p: w.comments_to_me(u, p)),
    "comments/by_me": ("GET", lambda w, u, p: w.comments_by_me(u, p)),
    "comments/mentions": ("GET", lambda w, u, p: w.comments_mentions(u, p)),
    "comments/create": ("POST", lambda w, u, p: w.comment_create(u, p)),
    "comments/reply": ("POST", lambda w, u, p: w.comment_reply(u, p)),
    "comments/destroy": ("POST", lambda w, u, p: w.comment_destroy(u, p)),
    "users/show": ("GET", lambda w, u, p: w.users_show(u, p)),
    "users/counts": ("GET", lambda w, u, p: w.users_counts(u, p)),
}


def _error(path: str, exc: WeiboError) -> JSONResponse:
    return JSONResponse(
        {"request": path, "error_code": exc.code, "error": exc.message}, status_code=exc.http_status
    )


async def _params(request: Request) -> dict[str, str]:
    params = {k: v for k, v in request.query_params.items()}
    if request.method == "POST":
        form = await request.form()
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                params["_pic"] = "1"
            else:
                params[key] = str(value)
    return params


def _token(request: Request, params: dict[str, str]) -> str:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("oauth2 "):
        return header[7:].strip()
    return params.get("access_token", "")


def signed_query(app_secret: str) -> dict[str, str]:
    timestamp = str(int(time.time()))
    nonce = str(secrets.randbelow(10**9))
    joined = "".join(sorted([app_secret, timestamp, nonce]))
    return {
        "signature": hashlib.sha1(joined.encode()).hexdigest(),  # noqa: S324 - the platform's scheme
        "timestamp": timestamp,
        "nonce": nonce,
    }


def create_app(config: SimConfig | None = None) -> FastAPI:
    world = World(config)
    faults = FaultStore()
    app = FastAPI(
        title="Weibo Open API v2 simulator (GovMatrix)",
        docs_url="/_sim/docs",
        openapi_url="/_sim/openapi.json",
    )
    app.state.world = world
    app.state.faults = faults

    @app.middleware("http")
    async def _faults(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        return await apply(faults, request, call_next)

    # --- the API ---------------------------------------------------------------------------
    @app.api_route("/2/{group}/{action}.json", methods=["GET", "POST"])
    async def api(group: str, action: str, request: Request) -> Response:
        resource = f"{group}/{action}"
        path = request.url.path
        route = ROUTES.get(resource)
        if route is None:
            return _error(path, WeiboError(10020, "Request Api not found!", 404))
        if request.method != route[0]:
            return _error(
                path, WeiboError(10021, "HTTP METHOD is not suported for this request!", 405)
            )
        params = await _params(request)
        try:
            user = world.authenticate(_token(request, params))
            world.spend(
                user=user, ip=request.client.host if request.client else "", endpoint=resource
            )
            return JSONResponse(route[1](world, user, params))
        except WeiboError as exc:
            return _error(path, exc)

    # --- OAuth 2.0 --------------------------------------------------------------------------
    @app.get("/oauth2/authorize")
    async def authorize_page(request: Request) -> Response:
        q = request.query_params
        if q.get("client_id") != world.config.app_key:
            return _error(request.url.path, WeiboError(21324, "invalid_client"))
        if q.get("response_type", "code") != "code":
            return _error(request.url.path, WeiboError(21329, "unsupported_response_type"))
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(q.get(name, ""))}">'
            for name in ("client_id", "redirect_uri", "state")
        )
        buttons = "".join(
            f'<li><button name="screen_name" value="{html.escape(u.screen_name)}">'
            f"{html.escape(u.screen_name)}{' (V)' if u.verified else ''}</button></li>"
            for u in world.users.values()
        )
        page = f"""<!doctype html><html lang="zh"><head><meta charset="utf-8">
<title>微博授权（模拟器）</title></head><body>
<h1>微博开放平台授权（模拟器）</h1><p>以哪个微博账号授权应用 {html.escape(world.config.app_key)}？</p>
<form method="post" action="/oauth2/authorize">{hidden}<ul>{buttons}</ul>
<p><label>或新建账号：<input name="new_screen_name"></label> <button>授权</button></p></form>
</body></html>"""
        return HTMLResponse(page)

    @app.post("/oauth2/authorize")
    async def authorize_submit(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        name = form.get("new_screen_name") or form.get("screen_name", "")
        if not name:
            return _error(request.url.path, WeiboError(21330, "access_denied"))
        user = world.user_by_name(name) or world.user_create(name, verified=True)
        try:
            code = world.code_issue(
                client_id=form.get("client_id", ""),
                redirect_uri=form.get("redirect_uri", ""),
                uid=user.uid,
            )
        except WeiboError as exc:
            return _error(request.url.path, exc)
        target = form.get("redirect_uri", "")
        query = {"code": code, **({"state": form["state"]} if form.get("state") else {})}
        separator = "&" if "?" in target else "?"
        return RedirectResponse(f"{target}{separator}{urlencode(query)}", status_code=302)

    @app.post("/oauth2/access_token")
    async def access_token(request: Request) -> Response:
        try:
            return JSONResponse(world.code_exchange(await _params(request)))
        except WeiboError as exc:
            return _error(request.url.path, exc)

    @app.post("/oauth2/get_token_info")
    async def token_info(request: Request) -> Response:
        params = await _params(request)
        try:
            return JSONResponse(world.token_info(params.get("access_token", "")))
        except WeiboError as exc:
            return _error(request.url.path, exc)

    @app.post("/oauth2/revokeoauth2")
    async def revoke(request: Request) -> Response:
        params = await _params(request)
        try:
            return JSONResponse(world.token_revoke(params.get("access_token", "")))
        except WeiboError as exc:
            return _error(request.url.path, exc)

    # --- a page per post, so the demo's links lead somewhere ---------------------------------
    @app.get("/status/{status_id}")
    async def status_page(status_id: int) -> Response:
        status = world.statuses.get(status_id)
        if status is None or status.deleted:
            return HTMLResponse("<p>该微博不存在或已被删除。</p>", status_code=404)
        author = world.users[status.uid]
        comments = "".join(
            f"<li><b>{html.escape(world.users[c.uid].screen_name)}</b>：{html.escape(c.text)}</li>"
            for c in sorted(world.comments.values(), key=lambda c: c.id)
            if c.status_id == status.id and not c.deleted
        )
        return HTMLResponse(
            f'<!doctype html><html lang="zh"><meta charset="utf-8"><title>{html.escape(author.screen_name)}</title>'
            f"<p><b>{html.escape(author.screen_name)}</b> · {format_time(status.created_at)}</p>"
            f"<p>{html.escape(status.text)}</p><h2>评论</h2><ul>{comments}</ul></html>"
        )

    # --- the control plane --------------------------------------------------------------------
    @app.post("/_sim/reset")
    async def sim_reset() -> dict[str, Any]:
        faults.clear()
        world.reset()
        return {"ok": True}

    @app.get("/_sim/config")
    async def sim_config() -> dict[str, Any]:
        return {k: v for k, v in vars(world.config).items() if k != "app_secret"}

    @app.post("/_sim/config")
    async def sim_config_set(request: Request) -> dict[str, Any]:
        changes = await request.json()
        for key, value in changes.items():
            if key in SimConfig.__dataclass_fields__ and key not in {
                "users",
                "app_secret",
                "app_key",
            }:
                setattr(world.config, key, value)
        return await sim_config()

    @app.post("/_sim/users")
    async def sim_user(request: Request) -> dict[str, Any]:
        spec = await request.json()
        user = world.user_create(
            str(spec["screen_name"]),
            name=str(spec.get("name", "")),
            verified=bool(spec.get("verified", False)),
            followers_count=int(spec.get("followers_count", 0)),
            friends_count=int(spec.get("friends_count", 0)),
        )
        return world.user_json(user)

    def _who(spec: dict[str, Any], prefix: str = "") -> User:
        return world.find_user(
            uid=spec.get(f"{prefix}uid"), screen_name=spec.get(f"{prefix}screen_name")
        )

    @app.post("/_sim/tokens")
    async def sim_token(request: Request) -> Response:
        spec = await request.json()
        try:
            user = _who(spec)
        except WeiboError as exc:
            return _error(request.url.path, exc)
        token, ttl = world.token_issue(user.uid, spec.get("ttl"))
        return JSONResponse({"access_token": token, "expires_in": ttl, "uid": str(user.uid)})

    @app.post("/_sim/tokens/expire")
    async def sim_expire(request: Request) -> dict[str, Any]:
        spec = await request.json()
        uid = _who(spec).uid if spec.get("uid") or spec.get("screen_name") else None
        return {"expired": world.tokens_expire(token=str(spec.get("access_token", "")), uid=uid)}

    @app.post("/_sim/comments")
    async def sim_comment(request: Request) -> Response:
        """A citizen comments on a post (or answers a comment with `reply_to`)."""
        spec = await request.json()
        try:
            user = _who(spec)
            form = {"id": str(spec["status_id"]), "comment": str(spec["text"])}
            if spec.get("reply_to"):
                form["cid"] = str(spec["reply_to"])
                form["without_mention"] = "1"
                return JSONResponse(world.comment_reply(user, form, citizen=True))
            return JSONResponse(world.comment_create(user, form, citizen=True))
        except WeiboError as exc:
            return _error(request.url.path, exc)

    @app.post("/_sim/posts")
    async def sim_post(request: Request) -> Response:
        """A citizen posts from the Weibo app (no safe-domain rule applies to people)."""
        spec = await request.json()
        try:
            user = _who(spec)
        except WeiboError as exc:
            return _error(request.url.path, exc)
        with world.lock:
            from govmatrix.platforms.weibo.simulator.world import Status

            status = Status(
                id=world.next_id(), uid=user.uid, text=str(spec["text"]), created_at=world.now()
            )
            world.statuses[status.id] = status
            return JSONResponse(world.status_json(status))

    @app.post("/_sim/push")
    async def sim_push(request: Request) -> Response:
        """A fan-service event from `sender` to `receiver`, signed; delivered unless deliver=false."""
        spec = await request.json()
        try:
            sender, receiver = _who(spec, "sender_"), _who(spec, "receiver_")
        except WeiboError as exc:
            return _error(request.url.path, exc)
        event = {
            "type": spec.get("type", "text"),
            "receiver_id": receiver.uid,
            "sender_id": sender.uid,
            "created_at": format_time(world.now()),
            "text": str(spec.get("text", "")),
            "data": {},
        }
        body = json.dumps(event, ensure_ascii=False)
        query = signed_query(world.config.app_secret)
        url = str(spec.get("url") or world.config.webhook_url)
        answer: dict[str, Any] = {"event": event, "query": query, "body": body, "url": url}
        if spec.get("deliver", True):
            if not url:
                return JSONResponse(
                    {**answer, "error": "no webhook URL configured"}, status_code=409
                )
            async with httpx.AsyncClient(timeout=10) as client:
                if url not in world.bound_webhooks:
                    echostr = secrets.token_hex(8)
                    bind = await client.get(
                        url, params={**signed_query(world.config.app_secret), "echostr": echostr}
                    )
                    if bind.status_code != 200 or bind.text.strip() != echostr:
                        return JSONResponse(
                            {
                                **answer,
                                "error": "webhook did not echo echostr",
                                "status": bind.status_code,
                            },
                            status_code=502,
                        )
                    world.bound_webhooks.add(url)
                delivered = await client.post(
                    url,
                    params=query,
                    content=body.encode(),
                    headers={"Content-Type": "application/json"},
                )
            answer["status"] = delivered.status_code
        return JSONResponse(answer)

    @app.post("/_sim/faults")
    async def sim_fault(request: Request) -> dict[str, Any]:
        rule = faults.add(await request.json())
        return vars(rule)

    @app.get("/_sim/faults")
    async def sim_faults() -> list[dict[str, Any]]:
        return faults.list()

    @app.delete("/_sim/faults")
    async def sim_faults_clear() -> dict[str, Any]:
        faults.clear()
        return {"ok": True}

    @app.get("/_sim/state")
    async def sim_state() -> dict[str, Any]:
        with world.lock:
            return {
                "users": [world.user_json(u) for u in world.users.values()],
                "statuses": len([s for s in world.statuses.values() if not s.deleted]),
                "comments": len([c for c in world.comments.values() if not c.deleted]),
                "tokens": len(world.tokens),
            }

    return app
