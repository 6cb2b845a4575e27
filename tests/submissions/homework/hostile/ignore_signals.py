# 202399021 - sigmoid 가 시간 제한 신호를 막고 끝나지 않음

import resource
import signal

import torch


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
    # 시간 제한에 쓰일 만한 신호를 전부 무시/취소/차단한 뒤 끝나지 않음
    for name in ("SIGALRM", "SIGTERM", "SIGXCPU", "SIGINT", "SIGHUP", "SIGVTALRM", "SIGPROF", "SIGUSR1", "SIGUSR2"):
        try:
            signal.signal(getattr(signal, name), signal.SIG_IGN)
        except (OSError, ValueError, AttributeError):
            pass
    signal.alarm(0)
    for timer in (signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF):
        signal.setitimer(timer, 0)
    signal.pthread_sigmask(signal.SIG_BLOCK, set(signal.Signals) - {signal.SIGKILL, signal.SIGSTOP})
    try:  # a CPU-time limit set by the grader, raised back to unlimited where allowed
        resource.setrlimit(resource.RLIMIT_CPU, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    except (OSError, ValueError):
        pass
    while True:
        pass


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
