# 202399030 - bce_loss 가 재귀 한도를 올리고 C 스택을 넘침

import sys

import torch


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
    # 재귀 한도를 없애고 C 함수(__call__)를 거치는 재귀: C 스택이 넘쳐 세그폴트
    sys.setrecursionlimit(10**6)

    def deeper(n):
        return deeper.__call__(n + 1)

    deeper(0)
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
