"""`python -m govmatrix.platforms.weibo.simulator --port 8081 --safe-domain www.sfq.gov.cn`"""

from __future__ import annotations

import argparse

import uvicorn

from govmatrix.platforms.weibo.simulator.app import create_app
from govmatrix.platforms.weibo.simulator.world import SimConfig


def main(argv: list[str] | None = None) -> None:
    defaults = SimConfig()
    parser = argparse.ArgumentParser(
        prog="python -m govmatrix.platforms.weibo.simulator",
        description="A stateful simulator of the Weibo Open API v2, for tests and the demo.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--safe-domain", default=defaults.safe_domain, help="the app's 安全域名")
    parser.add_argument("--app-key", default=defaults.app_key)
    parser.add_argument("--app-secret", default=defaults.app_secret)
    parser.add_argument(
        "--token-ttl", type=int, default=defaults.token_ttl, help="seconds a token lives"
    )
    parser.add_argument("--posts-per-hour", type=int, default=defaults.posts_per_hour)
    parser.add_argument("--comments-per-hour", type=int, default=defaults.comments_per_hour)
    parser.add_argument("--calls-per-hour", type=int, default=defaults.calls_per_hour)
    parser.add_argument("--webhook", default="", help="where fan-service messages are pushed")
    parser.add_argument(
        "--user",
        action="append",
        default=[],
        metavar="SCREEN_NAME",
        help="an account to create at start (repeatable); without any, a small demo cast",
    )
    args = parser.parse_args(argv)
    config = SimConfig(
        app_key=args.app_key,
        app_secret=args.app_secret,
        safe_domain=args.safe_domain,
        token_ttl=args.token_ttl,
        posts_per_hour=args.posts_per_hour,
        comments_per_hour=args.comments_per_hour,
        calls_per_hour=args.calls_per_hour,
        webhook_url=args.webhook,
        users=[{"screen_name": name, "verified": True} for name in args.user],
    )
    uvicorn.run(create_app(config), host=args.host, port=args.port, log_level="info")


if __name__ == "__main__":
    main()
