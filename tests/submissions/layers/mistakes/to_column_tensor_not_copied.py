# 딥러닝 과제 (층과 옵티마이저)
# 학번 202400248 / 이름 고서현

import numpy as np
import torch


# (1) 열벡터로 바꾸기
def to_column(values):
    # 텐서는 이미 텐서니까 dtype 이랑 모양만 맞춘다
    if isinstance(values, torch.Tensor):
        return values.float().reshape(-1, 1)
    return torch.tensor(np.array(values, dtype=np.float32)).reshape(-1, 1)


# (2) 강의의 네트워크
def lecture_net(bias):
    if bias:
        net = torch.nn.Linear(1, 1)
        net.bias.data = torch.tensor([-5.0])
        net.weight.data = torch.tensor([[10.0]])
    else:
        # X = [1, x] 에 이미 1 이 있으니 bias 는 끈다
        net = torch.nn.Linear(2, 1, bias=False)
        net.weight.data = torch.tensor([[-5.0, 10.0]])
    return net


# (3) MSE 손실
def mse_loss(yhat, y):
    # (n,) 과 (n,1) 이 섞이면 (n,n) 이 되니까 먼저 확인
    if yhat.shape != y.shape:
        raise ValueError(f"모양이 다릅니다: yhat {tuple(yhat.shape)}, y {tuple(y.shape)}")
    return torch.mean((y - yhat) ** 2)


# (4) 옵티마이저로 학습
def fit(net, inputs, y, *, lr=0.1, epochs=30):
    optimizr = torch.optim.SGD(net.parameters(), lr=lr)
    for epoc in range(epochs):
        yhat = net(inputs)
        loss = mse_loss(yhat, y)
        loss.backward()
        optimizr.step()
        optimizr.zero_grad()
    return net
