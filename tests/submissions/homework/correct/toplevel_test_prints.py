# 202318163 장서현
# 과제 하면서 확인용으로 돌린 코드도 그냥 같이 둠 (제출할 때 지워야 하나요?)

import torch

torch.manual_seed(43052)
print("torch version:", torch.__version__)


def build_X(x):
    x = x.reshape(-1, 1)
    return torch.concat([torch.ones(len(x), 1), x.float()], axis=1)


def update(params, alpha):
    if type(params) is torch.Tensor or isinstance(params, torch.nn.Parameter):
        params = [params]
    for What in params:
        What.data = What.data - alpha * What.grad
        What.grad = None


def sigmoid(u):
    return torch.where(u >= 0,
                       1 / (1 + torch.exp(-u.clamp(min=0))),
                       torch.exp(u.clamp(max=0)) / (1 + torch.exp(u.clamp(max=0))))


def bce_loss(yhat, y):
    return -torch.mean(y * torch.log(yhat).clamp(min=-100) + (1 - y) * torch.log(1 - yhat).clamp(min=-100))


# ---- 확인 ----
x = torch.randn(100).sort()[0]
y = 2.5 + 4 * x + 0.5 * torch.randn(100)
X = build_X(x)
print(X[:3])
print(sigmoid(torch.tensor([-1e4, -100.0, 0.0, 100.0, 1e4])))
print(bce_loss(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 1.0])))


def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    torch.manual_seed(seed)
    net = torch.nn.Linear(1, 1)
    optimizr = torch.optim.SGD(net.parameters(), lr=lr)
    for epoc in range(epochs):
        yhat = sigmoid(net(x))
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
        yhat = X @ What
        loss = torch.mean((y - yhat) ** 2)
        loss.backward()
        update(What, alpha)
    return What


# ---- 확인 ----
What = train_linear(x, y)
print("What:", What.data.reshape(-1))
xx = torch.linspace(-1, 1, 200).reshape(-1, 1)
yy = torch.bernoulli(torch.sigmoid(-1 + 5 * xx))
net = train_logistic(xx, yy, lr=1.0, epochs=500)
print("w, b:", net.weight.item(), net.bias.item())
