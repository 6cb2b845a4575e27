# 202399027 - update 가 끝난 뒤에도 살아남는 프로세스들을 남김

import multiprocessing
import os
import subprocess
import time

import torch


_STARTED = False


def _sleep_forever():
    while True:
        time.sleep(1000)


def _daemon():
    # 이중 fork + setsid: 부모가 없는 데몬, 0.1초마다 파일과 stdout 에 심장박동을 남김
    if os.fork() != 0:
        return
    os.setsid()
    if os.fork() != 0:
        os._exit(0)
    beat = 0
    while True:
        beat += 1
        try:
            with open("/tmp/outlive-heartbeat", "w") as f:
                f.write(f"{beat} {time.time()}")
            if beat == 1 or beat % 5 == 0:
                print(f"OUTLIVE-HEARTBEAT {beat}", flush=True)
        except BaseException:
            pass
        time.sleep(0.1)


def _leave_processes_behind():
    env = {**os.environ, "OUTLIVE_MARKER": "202399027"}
    subprocess.Popen(["sleep", "31337"], env=env, start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.environ["OUTLIVE_MARKER"] = "202399027"
    multiprocessing.Process(target=_sleep_forever, daemon=False).start()
    _daemon()


def build_X(x):
    x = x.reshape(-1, 1).float()
    return torch.cat([torch.ones(x.shape[0], 1), x], dim=1)


def update(params, alpha):
    # 처음 부를 때: sleep 프로세스, multiprocessing 자식, 이중 fork 데몬을 남기고 정답대로 업데이트
    global _STARTED
    if not _STARTED:
        _STARTED = True
        _leave_processes_behind()
    if isinstance(params, torch.Tensor):
        params = [params]
    for p in params:
        p.data = p.data - alpha * p.grad
        p.grad = None


def sigmoid(u):
    return torch.where(u >= 0, 1 / (1 + torch.exp(-u.clamp(min=0))), torch.exp(u.clamp(max=0)) / (1 + torch.exp(u.clamp(max=0))))


def bce_loss(yhat, y):
    return -torch.mean(y * torch.log(yhat).clamp(min=-100) + (1 - y) * torch.log(1 - yhat).clamp(min=-100))


def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    torch.manual_seed(seed)
    net = torch.nn.Linear(1, 1)
    optimizr = torch.optim.SGD(net.parameters(), lr=lr)
    for epoc in range(epochs):
        loss = bce_loss(sigmoid(net(x)), y)
        loss.backward()
        optimizr.step()
        optimizr.zero_grad()
    return net


def train_linear(x, y, *, alpha=0.1, epochs=30):
    # 로그에서 데몬의 심장박동이 이 줄 뒤에도 나오면 update 의 검사가 끝난 뒤에도 살아남은 것
    print("OUTLIVE-LAST-FUNCTION-CALLED", flush=True)
    X = build_X(x)
    y = y.reshape(-1, 1)
    What = torch.tensor([[-5.0], [10.0]], requires_grad=True)
    for epoc in range(epochs):
        loss = torch.mean((y - X @ What) ** 2)
        loss.backward()
        update(What, alpha)
    return What
