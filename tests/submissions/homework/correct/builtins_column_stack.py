"""기계학습특강 과제 - 202211203 김하늘

torch 에 이미 있는 함수들을 최대한 활용해서 구현함.
"""
import torch
import torch.nn.functional as F


def build_X(x):
    # (n,) 이든 (n,1) 이든 1차원으로 편 다음 [1, x] 로 열을 쌓는다
    x = x.reshape(-1)
    X = torch.column_stack([torch.ones(len(x)), x])
    return X.float()


def update(params, alpha):
    # 텐서 하나 / 리스트 / 제너레이터 모두 처리하려고 먼저 리스트로 바꿈
    params = [params] if isinstance(params, torch.Tensor) else list(params)
    for p in params:
        p.data.sub_(alpha * p.grad)
        p.grad.zero_()


def sigmoid(u):
    return torch.sigmoid(u)


def bce_loss(yhat, y):
    # F.binary_cross_entropy 는 내부에서 log 를 -100 으로 잘라줘서 yhat=0,1 에서도 유한함
    return F.binary_cross_entropy(yhat, y)


def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    torch.manual_seed(seed)
    net = torch.nn.Linear(1, 1)
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(epochs):
        optimizer.zero_grad()           # 미분 전에 초기화
        loss = bce_loss(sigmoid(net(x)), y)
        loss.backward()
        optimizer.step()
    return net


def train_linear(x, y, *, alpha=0.1, epochs=30):
    X = build_X(x)
    What = torch.tensor([[-5.0], [10.0]], requires_grad=True)
    for _ in range(epochs):
        loss = F.mse_loss(X @ What, y.reshape(-1, 1))
        loss.backward()
        update(What, alpha)
    return What
