"""The simulator enforces the documented rules and answers in the documented shapes."""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

from govmatrix.platforms.weibo.simulator.server import SimulatorServer
from govmatrix.platforms.weibo.text import parse_time
from tests.platforms.contract.servers import HTTP
from tests.platforms.weibo.conftest import api, citizen_comment, citizen_post, fault, token

LINK = "https://www.sfq.gov.cn/notice/1"


def _error(answer: Any) -> int:
    return int(answer.json()["error_code"])


def share(sim: SimulatorServer, ref: Any, text: str, **extra: str) -> Any:
    return api(sim, "POST", "statuses/share", ref, status=text, rip="203.0.113.9", **extra)


def test_a_share_answers_with_int64_ids_idstr_and_weibo_dates(sim: SimulatorServer) -> None:
    main = token(sim, "示范区发布")
    status = share(sim, main, f"通知 {LINK}").json()
    assert isinstance(status["id"], int) and status["idstr"] == str(status["id"]) == status["mid"]
    assert len(status["idstr"]) == 16
    assert re.fullmatch(
        r"[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \+0800 \d{4}", status["created_at"]
    )
    assert abs(parse_time(status["created_at"]).timestamp() - time.time()) < 5
    assert (
        status["user"]["screen_name"] == "示范区发布"
        and status["user"]["idstr"] == main.external_id
    )
    assert (status["reposts_count"], status["comments_count"], status["attitudes_count"]) == (
        0,
        0,
        0,
    )


def test_share_refuses_what_the_documentation_refuses(sim: SimulatorServer) -> None:
    main = token(sim, "示范区发布")
    assert _error(share(sim, main, "没有链接的通知")) == 10017
    assert share(sim, main, "没有链接的通知").json()["error"] == "text not find domain!"
    assert _error(share(sim, main, "别的网站 https://example.com/x")) == 10017
    assert _error(api(sim, "POST", "statuses/share", main, status=f"缺 rip {LINK}")) == 10016
    assert (
        _error(api(sim, "POST", "statuses/share", main, status=f"坏 rip {LINK}", rip="not-an-ip"))
        == 10017
    )
    assert _error(share(sim, main, f"#停水# 通知 {LINK}")) == 20021
    assert _error(share(sim, main, "长" * 125 + " " + LINK)) == 20012
    assert _error(share(sim, main, "")) == 20008
    assert (
        share(sim, main, "安全域名下的任何页面 https://www.sfq.gov.cn/a/b.html").status_code == 200
    )


def test_the_same_text_twice_is_refused_with_20019(sim: SimulatorServer) -> None:
    main = token(sim, "示范区发布")
    assert share(sim, main, f"重复 {LINK}").status_code == 200
    again = share(sim, main, f"重复 {LINK}")
    assert (_error(again), again.json()["error"]) == (20019, "Repeat conetnt!")
    # Another account may say the same.
    assert share(sim, token(sim, "示范区东城街道"), f"重复 {LINK}").status_code == 200


def test_per_account_hourly_counters_and_the_posting_burst(sim: SimulatorServer) -> None:
    main, street = token(sim, "示范区发布"), token(sim, "示范区东城街道")
    sim.control(
        "POST", "config", {"posts_per_hour": 2, "calls_per_hour": 6, "burst_posts_per_minute": 50}
    )
    assert share(sim, main, f"一 {LINK}").status_code == 200
    assert share(sim, main, f"二 {LINK}").status_code == 200
    limited = share(sim, main, f"三 {LINK}")
    assert _error(limited) == 10024 and "statuses/share" in limited.json()["error"]
    assert share(sim, street, f"三 {LINK}").status_code == 200  # per account
    for _ in range(3):  # three shares and three reads: six calls this hour
        assert api(sim, "GET", "users/show", main, uid=main.external_id).status_code == 200
    assert _error(api(sim, "GET", "users/show", main, uid=main.external_id)) == 10023
    sim.control(
        "POST",
        "config",
        {"posts_per_hour": 30, "calls_per_hour": 1000, "burst_posts_per_minute": 2},
    )
    assert share(sim, street, f"四 {LINK}").status_code == 200  # its second post this minute
    assert _error(share(sim, street, f"五 {LINK}")) == 20016


def test_ownership_of_posts_and_comments(sim: SimulatorServer) -> None:
    main, street = token(sim, "示范区发布"), token(sim, "示范区东城街道")
    post = share(sim, main, f"通知 {LINK}").json()
    assert _error(api(sim, "POST", "statuses/destroy", street, id=post["idstr"])) == 20102
    assert (
        _error(api(sim, "POST", "statuses/repost", main, id=post["idstr"], rip="1.2.3.4")) == 20103
    )
    citizens_post = citizen_post(sim, "居民自己的微博")
    on_ours = citizen_comment(sim, post["idstr"], "我们帖子下的评论")
    on_theirs = citizen_comment(sim, citizens_post["idstr"], "别人帖子下的评论")
    # Comments under our own posts may be deleted; others' comments elsewhere may not.
    assert _error(api(sim, "POST", "comments/destroy", main, cid=on_theirs["idstr"])) == 20203
    assert (
        api(sim, "POST", "comments/destroy", main, cid=on_ours["idstr"]).json()["idstr"]
        == on_ours["idstr"]
    )
    assert _error(api(sim, "POST", "comments/destroy", main, cid=on_ours["idstr"])) == 20201
    assert _error(api(sim, "POST", "statuses/destroy", main, id="1")) == 20101


def test_comments_to_me_mentions_and_paging(sim: SimulatorServer) -> None:
    main = token(sim, "示范区发布")
    post = share(sim, main, f"通知 {LINK}").json()
    ids = [citizen_comment(sim, post["idstr"], f"评论{i}")["id"] for i in range(5)]
    other = citizen_post(sim, "居民的微博")
    mention = citizen_comment(sim, other["idstr"], "@示范区发布 看看这里")
    to_me = api(sim, "GET", "comments/to_me", main, count=2).json()
    assert [c["id"] for c in to_me["comments"]] == ids[::-1][:2] and to_me["total_number"] == 5
    older = api(sim, "GET", "comments/to_me", main, count=10, since_id=ids[1], max_id=ids[3]).json()
    assert [c["id"] for c in older["comments"]] == [ids[3], ids[2]]
    assert [c["id"] for c in api(sim, "GET", "comments/mentions", main).json()["comments"]] == [
        mention["id"]
    ]
    assert to_me["comments"][0]["status"]["idstr"] == post["idstr"]


def test_token_expiry_and_revocation(sim: SimulatorServer) -> None:
    main = token(sim, "示范区发布")
    sim.control("POST", "tokens/expire", {"screen_name": "示范区发布"})
    assert _error(api(sim, "GET", "users/show", main, uid=main.external_id)) == 21327
    fresh = token(sim, "示范区发布", ttl=3600)
    info = HTTP.post(
        f"{sim.base_url}/oauth2/get_token_info",
        data={"access_token": fresh.credentials.access_token},
    ).json()
    assert info["uid"] == int(fresh.external_id) and 3590 < info["expire_in"] <= 3600
    HTTP.post(
        f"{sim.base_url}/oauth2/revokeoauth2", data={"access_token": fresh.credentials.access_token}
    )
    assert _error(api(sim, "GET", "users/show", fresh, uid=fresh.external_id)) == 21316
    assert _error(api(sim, "GET", "users/show", None, uid=fresh.external_id)) == 21301


def test_the_oauth_flow_checks_client_code_and_redirect_uri(sim: SimulatorServer) -> None:
    key, secret, back = sim.config.app_key, sim.config.app_secret, "http://testserver/cb/"
    page = HTTP.get(
        f"{sim.base_url}/oauth2/authorize",
        params={"client_id": key, "redirect_uri": back, "state": "s1"},
    )
    assert "示范区发布" in page.text
    assert (
        _error(
            HTTP.get(
                f"{sim.base_url}/oauth2/authorize", params={"client_id": "x", "redirect_uri": back}
            )
        )
        == 21324
    )
    answer = HTTP.post(
        f"{sim.base_url}/oauth2/authorize",
        data={"client_id": key, "redirect_uri": back, "state": "s1", "screen_name": "示范区发布"},
    )
    location = urlparse(answer.headers["location"])
    query = parse_qs(location.query)
    assert query["state"] == ["s1"] and location.path == "/cb/"
    form = {
        "client_id": key,
        "client_secret": secret,
        "grant_type": "authorization_code",
        "code": query["code"][0],
    }
    assert (
        _error(
            HTTP.post(
                f"{sim.base_url}/oauth2/access_token", data={**form, "redirect_uri": "http://evil/"}
            )
        )
        == 21322
    )
    # The failed attempt used the code up, as Weibo's one-time codes are.
    assert (
        _error(
            HTTP.post(f"{sim.base_url}/oauth2/access_token", data={**form, "redirect_uri": back})
        )
        == 21325
    )


def test_faults_answer_with_a_code_a_bare_status_or_late(sim: SimulatorServer) -> None:
    main = token(sim, "示范区发布")
    fault(sim, path="/2/users/show.json", error_code=10001)
    failed = api(sim, "GET", "users/show", main, uid=main.external_id)
    assert (failed.status_code, _error(failed)) == (500, 10001)
    assert api(sim, "GET", "users/show", main, uid=main.external_id).status_code == 200
    fault(sim, path="/2/users/*", http_status=502)
    assert api(sim, "GET", "users/show", main, uid=main.external_id).status_code == 502
    fault(sim, path="/2/statuses/share.json", methods=["POST"], after=True, malformed=True)
    assert share(sim, main, f"写入了但应答坏了 {LINK}").status_code == 200
    assert api(sim, "GET", "users/show", main, uid=main.external_id).json()["statuses_count"] == 1
    assert sim.control("GET", "faults") == []


def test_a_push_is_signed_and_bound_before_it_is_delivered(sim: SimulatorServer) -> None:
    answer = sim.control(
        "POST",
        "push",
        {
            "sender_screen_name": "热心市民小王",
            "receiver_screen_name": "示范区发布",
            "text": "你好",
            "deliver": False,
        },
    )
    event = answer["event"]
    assert (
        event["type"] == "text"
        and event["text"] == "你好"
        and isinstance(event["receiver_id"], int)
    )
    assert set(answer["query"]) == {"signature", "timestamp", "nonce"}
