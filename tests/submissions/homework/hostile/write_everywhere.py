# 202399035 - 채점 결과/정답 폴더에 파일 쓰기를 시도하고 sigmoid 는 틀림

import json
import os
import time

import torch


# SAFETY: nothing existing is ever overwritten (O_EXCL creates only), so a sandbox that fails this
# test leaves stray files behind (which the test looks for) but damages nothing.
MARK = "hostile-was-here-202399035"
_FAKE = json.dumps({"student": "202399035", "score": 100.0, "max_score": 100.0, "passed": True})
_WALKED = False


def _create(path, text):
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except OSError:
        return
    with os.fdopen(fd, "w") as f:
        f.write(text)


def _plant_in(folder):
    _create(os.path.join(folder, "results.json"), _FAKE)
    _create(os.path.join(folder, "grades.csv"), "student,score\n202399035,100\n")
    _create(os.path.join(folder, "gradebook.sqlite"), "not a database")
    _create(os.path.join(folder, f"{MARK}.txt"), MARK)
    for name in ("homework.py", "gradebook.sqlite", "grades.csv"):  # beside existing grader files
        if os.path.exists(os.path.join(folder, name)):
            _create(os.path.join(folder, f"{name}.{MARK}"), MARK)


def _candidates():
    here = os.getcwd()
    folders = [here, os.path.dirname(here), "/tmp", "/work", "/proc/1/cwd", "/proc/self/root/work"]
    try:
        folders.append(os.path.dirname(os.path.abspath(__file__)))
    except NameError:
        pass
    for start in list(folders):
        path = start
        for _ in range(6):  # every ancestor, and its solutions/ and results/ if there
            path = os.path.dirname(path)
            folders += [path, os.path.join(path, "solutions"), os.path.join(path, "results")]
    try:
        for name in os.listdir("/work"):
            folders += [os.path.join("/work", name), os.path.join("/work", name, "solutions")]
    except OSError:
        pass
    return folders


def _plant_everywhere(walk_seconds=0.0):
    for folder in _candidates():
        _plant_in(folder)
    deadline = time.monotonic() + walk_seconds
    for root, dirs, files in os.walk("/"):
        if time.monotonic() > deadline:
            break
        dirs[:] = [d for d in dirs if d not in ("proc", "sys", "dev")]
        if "homework.py" in files or "gradebook.sqlite" in files or "grades.csv" in files:
            _plant_in(root)
    print(_FAKE, flush=True)


_plant_everywhere()


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
    # 함수 안에서도 한 번 더 (검사 프로세스의 권한으로), / 전체를 2초 동안 훑으며 시도
    global _WALKED
    if not _WALKED:
        _WALKED = True
        _plant_everywhere(walk_seconds=2.0)
    return 0.5 * torch.ones_like(u)       # 틀림


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
