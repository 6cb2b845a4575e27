# HW layers  (202400345 유가은)
import numpy as np
import torch
import torch.nn.functional as F


def to_column(values):
    # as_tensor 는 메모리를 같이 쓸 수 있어서 clone 까지 해야 새 텐서
    t = torch.as_tensor(values).detach()
    return t.to(torch.float32).clone().view(-1, 1)


def lecture_net(bias):
    if bias:
        net = torch.nn.Linear(1, 1)
        net.weight = torch.nn.Parameter(torch.tensor([[10.0]]))
        net.bias = torch.nn.Parameter(torch.tensor([-5.0]))
        return net
    net = torch.nn.Linear(2, 1, bias=False)
    net.weight = torch.nn.Parameter(torch.tensor([[-5.0, 10.0]]))
    return net


def mse_loss(yhat, y):
    if yhat.shape != y.shape:
        raise ValueError(f"yhat.shape={yhat.shape} but y.shape={y.shape}")
    return F.mse_loss(yhat, y)


def fit(net, inputs, y, *, lr=0.1, epochs=30):
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    for epoch in range(epochs):
        opt.zero_grad()  # 먼저 비우고 시작
        loss = mse_loss(net(inputs), y)
        loss.backward()
        opt.step()
        if epoch % 10 == 0:
            pass  # print(epoch, loss.item())
    return net
