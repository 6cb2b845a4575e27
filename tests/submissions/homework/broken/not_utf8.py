"""기계학습특강 과제 1

학번: 202314402
이름: 김다은
(윈도우 메모장에서 저장함)
"""

import torch


def build_X(x):
    # 첫 열은 1, 두번째 열은 x  (설계행렬)
    x = x.reshape(-1, 1).float()
    return torch.cat([torch.ones(x.shape[0], 1), x], dim=1)


def update(params, alpha):
    # 텐서 하나면 리스트로
    if isinstance(params, torch.Tensor):
        params = [params]
    for W in params:
        W.data = W.data - alpha * W.grad
        W.grad = None


def sigmoid(u):
    # 오버플로우 방지
    return torch.where(u >= 0, 1 / (1 + torch.exp(-u.clamp(min=0))),
                       torch.exp(u.clamp(max=0)) / (1 + torch.exp(u.clamp(max=0))))


def bce_loss(yhat, y):
    # 로그를 -100 에서 자름
    return -torch.mean(y * torch.log(yhat).clamp(min=-100) + (1 - y) * torch.log(1 - yhat).clamp(min=-100))


def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    torch.manual_seed(seed)   # 시드 고정
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
    What = torch.tensor([[-5.0], [10.0]], requires_grad=True)   # 초기값
    for epoc in range(epochs):
        loss = torch.mean((y - X @ What) ** 2)   # 평균제곱오차
        loss.backward()
        update(What, alpha)
    return What
