# 202399028 - bce_loss 가 끝난 뒤에도 도는 스레드를 남김

import threading

import torch


_DRIFT = torch.zeros(())
_STARTED = threading.Event()


def _drift_forever():
    while True:
        _DRIFT.add_(1.0)
        _STARTED.set()
        sum(range(10000))


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
    return torch.where(u >= 0, 1 / (1 + torch.exp(-u.clamp(min=0))), torch.exp(u.clamp(max=0)) / (1 + torch.exp(u.clamp(max=0))))


def bce_loss(yhat, y):
    # 처음 부를 때 끝나지 않는 (daemon=False) 스레드를 시작: CPU 를 쓰며 _DRIFT 를 계속 바꿈
    if not _STARTED.is_set():
        threading.Thread(target=_drift_forever, daemon=False).start()
        _STARTED.wait()
    loss = -torch.mean(y * torch.log(yhat).clamp(min=-100) + (1 - y) * torch.log(1 - yhat).clamp(min=-100))
    return loss + _DRIFT.item()


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
