"""A stateful simulator of the Weibo Open API v2, for the tests and the demo.

Run it: `python -m govmatrix.platforms.weibo.simulator --port 8081 --safe-domain www.sfq.gov.cn`.
It answers `/2/<resource>.json` and `/oauth2/*` in the documented shapes (int64 `id` with
`idstr`, Weibo's date format) and enforces the documented rules — see docs/platforms.md for
the list — and offers a control plane under `/_sim/` (reset, users, tokens, citizens'
comments and posts, fan-service pushes to a webhook, fault injection). It imports no Django.
"""
