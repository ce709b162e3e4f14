"""Run the simulator in a thread on a free loopback port (for tests), or in the foreground."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import uvicorn

from govmatrix.platforms.weibo.simulator.app import create_app
from govmatrix.platforms.weibo.simulator.world import SimConfig


class SimulatorServer:
    """`with SimulatorServer() as sim:` serves on `sim.base_url` and stops on leaving."""

    def __init__(self, config: SimConfig | None = None, *, host: str = "127.0.0.1") -> None:
        self.config = config or SimConfig()
        self.host = host
        self.app = create_app(self.config)
        self._server: uvicorn.Server | None = None
        self._http = httpx.Client(timeout=10)
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> SimulatorServer:
        # Port 0: the system picks a free port, read back once the socket is bound.
        config = uvicorn.Config(
            self.app, host=self.host, port=0, log_level="warning", lifespan="off"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name="weibo-simulator", daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                server.should_exit = True
                raise RuntimeError("the Weibo simulator did not start")
            time.sleep(0.01)
        self.port = server.servers[0].sockets[0].getsockname()[1]
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None
        self._http.close()

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- the control plane, for tests -------------------------------------------------------
    def control(self, method: str, path: str, json: Any = None) -> Any:
        response = self._http.request(method, f"{self.base_url}/_sim/{path}", json=json)
        response.raise_for_status()
        return response.json()

    def reset(self) -> None:
        self.control("POST", "reset")
