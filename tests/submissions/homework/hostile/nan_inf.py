# 202399034 - 결과가 NaN / inf

import torch


def build_X(x):
    # 모양은 맞지만 값이 전부 NaN (NaN 은 어떤 값과도 같지 않음)
    x = x.reshape(-1, 1).float()
    return torch.full((x.shape[0], 2), float("nan"))


def update(params, alpha):
    if isinstance(params, torch.Tensor):
        params = [params]
    for p in params:
        p.data = p.data - alpha * p.grad
        p.grad = None


def sigmoid(u):
    return torch.full_like(u, float("nan"))


def bce_loss(yhat, y):
    return torch.tensor(float("inf"), dtype=yhat.dtype, requires_grad=True)


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
    return torch.full((2, 1), float("nan"), requires_grad=True)
