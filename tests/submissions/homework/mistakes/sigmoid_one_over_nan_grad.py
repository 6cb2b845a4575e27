# 202317741 배지민 - 기계학습특강 과제

import torch


def build_X(x):
    x = x.reshape(-1, 1).float()
    return torch.cat([torch.ones(x.shape[0], 1), x], dim=1)


def update(params, alpha):
    if isinstance(params, torch.Tensor):
        params = [params]
    for W in params:
        W.data = W.data - alpha * W.grad
        W.grad = None


def sigmoid(u):
    # e^u/(1+e^u) 의 분자 분모를 e^u 로 나누면 1/(1+e^-u)
    # u 가 아주 작으면 e^-u = inf 가 되지만 1/inf = 0 이라 nan 은 안 나옴
    return 1 / (1 + torch.exp(-u))


def bce_loss(yhat, y):
    eps_log = -100  # nn.BCELoss 처럼 log 값을 -100 까지만
    return -torch.mean(y * torch.clamp(torch.log(yhat), min=eps_log)
                       + (1 - y) * torch.clamp(torch.log(1 - yhat), min=eps_log))


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
