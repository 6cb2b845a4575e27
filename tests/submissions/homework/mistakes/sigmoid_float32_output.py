# 기계학습특강 HW (회귀 / 로지스틱 회귀)
# 학번 202313979 / 이름 하윤서

import torch


# (1) 설계행렬
def build_X(x):
    # x 를 (n,) 으로 펴고 float32 로 바꾼 다음, 1 벡터와 쌓기 (강의: torch.stack)
    x = x.reshape(-1).float()
    X = torch.stack([torch.ones(len(x)), x], axis=1)
    return X


# (2) 경사하강법 업데이트
def update(params, alpha):
    # What 하나만 들어올 수도 있고, net.parameters() 가 들어올 수도 있음
    if isinstance(params, torch.Tensor):
        params = [params]
    for What in params:
        What.data = What.data - alpha * What.grad
        What.grad = None


# (3) 시그모이드
def sigmoid(u):
    u = u.float()   # 혹시 int 나 double 이 들어와도 float 으로 맞춤
    u_pos = torch.clamp(u, min=0)
    u_neg = torch.clamp(u, max=0)
    return torch.where(u >= 0, 1 / (1 + torch.exp(-u_pos)), torch.exp(u_neg) / (1 + torch.exp(u_neg)))


# (4) BCE 손실
def bce_loss(yhat, y):
    # yhat 이 정확히 0 이나 1 이면 log 가 -inf -> torch 처럼 -100 으로 자름
    log_p = torch.clamp(torch.log(yhat), min=-100)
    log_q = torch.clamp(torch.log(1 - yhat), min=-100)
    return -torch.mean(y * log_p + (1 - y) * log_q)


# (5) 로지스틱 회귀
def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    torch.manual_seed(seed)
    net = torch.nn.Linear(in_features=1, out_features=1)
    optimizr = torch.optim.SGD(net.parameters(), lr=lr)
    for epoc in range(epochs):
        ## 1
        yhat = sigmoid(net(x))
        ## 2
        loss = bce_loss(yhat, y)
        ## 3
        loss.backward()
        ## 4
        optimizr.step()
        optimizr.zero_grad()
    return net


# (6) 선형회귀
def train_linear(x, y, *, alpha=0.1, epochs=30):
    X = build_X(x)
    y = y.reshape(-1, 1)
    What = torch.tensor([[-5.0], [10.0]], requires_grad=True)
    for epoc in range(epochs):
        ## 1
        yhat = X @ What
        ## 2
        loss = torch.mean((y - yhat) ** 2)
        ## 3
        loss.backward()
        ## 4
        update(What, alpha)
    return What
