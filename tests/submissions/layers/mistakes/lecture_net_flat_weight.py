# 딥러닝 과제 (층과 옵티마이저)
# 학번 202400157 / 이름 장수아

import numpy as np
import torch


# (1) 열벡터로 바꾸기
def to_column(values):
    # 텐서면 numpy 로 바꾼 다음 float32 배열로 새로 만든다 (np.array 는 복사함)
    if isinstance(values, torch.Tensor):
        values = values.detach().numpy()
    return torch.tensor(np.array(values, dtype=np.float32)).reshape(-1, 1)


# (2) 강의의 네트워크
def lecture_net(bias):
    if bias:
        net = torch.nn.Linear(1, 1)
        net.bias.data = torch.tensor([-5.0])
        net.weight.data = torch.tensor([[10.0]])
    else:
        net = torch.nn.Linear(2, 1, bias=False)
        net.weight.data = torch.tensor([-5.0, 10.0])
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
