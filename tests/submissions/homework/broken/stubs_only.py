"""기계학습특강 과제 1 — 제출용 템플릿

아래 여섯 함수를 구현하세요. 함수 이름과 인자는 바꾸지 마세요.
"""

import torch


def build_X(x):
    """x: (n,) 또는 (n,1) 텐서 -> (n,2) float32 설계행렬 [1, x]."""
    raise NotImplementedError


def update(params, alpha):
    """경사하강법 한 스텝: value <- value - alpha * grad (in place), 그 후 grad 초기화."""
    raise NotImplementedError


def sigmoid(u):
    """1/(1+exp(-u)), overflow 없이."""
    raise NotImplementedError


def bce_loss(yhat, y):
    """평균 binary cross-entropy (0-dim 텐서)."""
    raise NotImplementedError


def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    """torch.manual_seed(seed) -> nn.Linear(1,1) -> SGD 로 epochs 번 학습, 학습된 Linear 를 반환."""
    raise NotImplementedError


def train_linear(x, y, *, alpha=0.1, epochs=30):
    """강의의 선형회귀 루프. What 은 [[-5.],[10.]] 에서 시작. (2,1) 텐서 반환."""
    raise NotImplementedError
