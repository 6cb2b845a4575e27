# 202211745 정민성

import torch


def build_X(x):
    x = x.reshape(-1, 1).float()
    return torch.cat([torch.ones(x.shape[0], 1), x], dim=1)


def update(params, alpha):
    if isinstance(params, torch.Tensor):
        params = [params]
    for What in params:
        What.data = What.data - alpha * What.grad
        What.grad = None


def sigmoid(u, v):
    # u = w0 + w1*x 를 w0 와 w1*x 로 나눠서 받음
    s = u + v
    return torch.where(s >= 0, 1 / (1 + torch.exp(-s.clamp(min=0))),
                       torch.exp(s.clamp(max=0)) / (1 + torch.exp(s.clamp(max=0))))


def bce_loss(yhat, y):
    return -torch.mean(y * torch.log(yhat).clamp(min=-100) + (1 - y) * torch.log(1 - yhat).clamp(min=-100))


def train_logistic(x, y, lr, epochs, /):
    torch.manual_seed(43052)
    net = torch.nn.Linear(1, 1)
    optimizr = torch.optim.SGD(net.parameters(), lr=lr)
    for epoc in range(epochs):
        yhat = torch.sigmoid(net(x))
        loss = bce_loss(yhat, y)
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
