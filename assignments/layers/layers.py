"""딥러닝 과제: nn.Linear와 옵티마이저(torch.optim.SGD), dtype과 모양(shape).

Deep-learning homework: layers and optimizers (nn.Linear, torch.optim.SGD, dtypes and shapes).

할 일: 각 함수의 `# YOUR CODE HERE`와 `raise NotImplementedError()`를 지우고 직접 구현하세요.
함수 이름, 인자 이름, 기본값은 바꾸지 마세요. 채점기가 그대로 호출합니다.
What to do: replace `# YOUR CODE HERE` and `raise NotImplementedError()` in each function with
your own code. Keep the function names, parameter names and defaults: the grader calls them as is.

확인하는 법 / How to check:

    autograder check layers.py
"""

import numpy as np
import torch
from torch import nn


def to_column(values: list | np.ndarray | torch.Tensor) -> torch.Tensor:
    """숫자들을 모양(shape) (n,1), dtype float32인 새 텐서(열벡터)로 바꿉니다.

    Turn numbers into a new column tensor of shape (n,1) and dtype float32.

    - values: 숫자의 리스트, 모양 (n,) 또는 (n,1)인 numpy 배열(dtype은 bool, 정수, 실수 무엇이든),
      또는 모양 (n,) 또는 (n,1)인 텐서(`requires_grad=True`일 수도 있음). n >= 1. values 자체는 바꾸지 마세요.
      values: a list of numbers, a numpy array of shape (n,) or (n,1) of any numeric dtype (bool, integer
      or floating), or a tensor of shape (n,) or (n,1) (it may require grad). n >= 1. Do not modify values.
    - 반환: 모양 (n,1), dtype float32, `requires_grad=False`인 새 텐서. values의 값을 차례대로 담습니다.
      Returns: a new (n,1) float32 tensor with `requires_grad=False`, holding the values in order.
    - 결과는 values와 메모리를 공유하면 안 됩니다: 결과에 값을 써도 values는 바뀌지 않아야 합니다.
      The result must share no memory with values: writing to the result leaves values unchanged.

    힌트: `np.array([1, 2, 3])`은 int64, `np.array([1., 2.])`는 float64이고, `torch.tensor`는 그 dtype을
    그대로 가져옵니다. `torch.from_numpy`는 배열을 복사하지 않고 같은 메모리를 씁니다.
    Hint: `np.array([1, 2, 3])` is int64 and `np.array([1., 2.])` is float64, and `torch.tensor` keeps that
    dtype. `torch.from_numpy` does not copy: the tensor uses the array's memory.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def lecture_net(bias: bool) -> nn.Linear:
    """강의에서 학습을 시작한 네트워크를 만듭니다: 절편 -5, 기울기 10.

    Build the network the lecture starts training from: intercept -5, slope 10.

    - `bias=False`: 설계행렬 `X = [1, x]`를 받는 `nn.Linear(2, 1, bias=False)`. weight는 `[[-5., 10.]]`,
      모양 (1,2)이고 bias는 없습니다(None).
      `bias=False`: `nn.Linear(2, 1, bias=False)` for the design matrix `X = [1, x]`; its weight is
      `[[-5., 10.]]`, shape (1,2), and it has no bias (None).
    - `bias=True`: x를 받는 `nn.Linear(1, 1)`. weight는 `[[10.]]`, 모양 (1,1)이고 bias는 `[-5.]`, 모양 (1,)입니다.
      `bias=True`: `nn.Linear(1, 1)` for x; its weight is `[[10.]]`, shape (1,1), and its bias is `[-5.]`,
      shape (1,).
    - 파라미터는 모두 float32이고 `requires_grad=True`인 leaf 텐서(연산의 결과가 아니라 직접 만든 텐서)입니다.
      All parameters are float32 leaf tensors (tensors you made, not results of a computation) with
      `requires_grad=True`.
    - 결과는 난수 상태(`torch.manual_seed`)에 따라 달라지면 안 됩니다.
      The result must not depend on the random state (`torch.manual_seed`).

    힌트: 강의처럼 `net.weight.data = ...`로 값을 넣을 때는 모양을 꼭 확인하세요. `[-5., 10.]`의 모양은
    (2,)이고 `[[-5., 10.]]`의 모양은 (1,2)입니다. X에 이미 1로 채운 열이 있으면 bias는 필요 없습니다.
    Hint: when you set values with `net.weight.data = ...` as in the lecture, check the shape: `[-5., 10.]`
    has shape (2,) while `[[-5., 10.]]` has shape (1,2). When X already has its column of ones, the net
    needs no bias.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def mse_loss(yhat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """평균 제곱 오차 `mean((y - yhat)^2)`를 계산합니다.

    The mean squared error `mean((y - yhat)^2)`.

    - yhat, y: 같은 모양의 텐서(예: (n,1)), dtype float32 또는 float64.
      yhat, y: tensors of the same shape (for example (n,1)), dtype float32 or float64.
    - 반환: 0차원 텐서(스칼라). 값은 `torch.nn.MSELoss()(yhat, y)`와 같고, yhat에 대해 미분 가능해야 합니다.
      Returns: a 0-dim tensor equal to `torch.nn.MSELoss()(yhat, y)`, differentiable with respect to yhat.
    - yhat과 y의 모양이 다르면 `ValueError`를 일으킵니다. 메시지에 두 모양을 적으세요.
      If yhat and y have different shapes, raise `ValueError`; say both shapes in the message.

    힌트: 모양 (n,)에서 모양 (n,1)을 빼면 브로드캐스팅되어 예외 없이 (n,n) 행렬이 됩니다. loss는 계산되지만
    틀린 값입니다. 제곱의 평균과 평균의 제곱은 다릅니다.
    Hint: subtracting shape (n,1) from shape (n,) broadcasts to an (n,n) matrix without any error: a loss
    comes out, but the wrong one. The mean of the squares is not the square of the mean.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def fit(net: nn.Module, inputs: torch.Tensor, y: torch.Tensor, *, lr: float = 0.1, epochs: int = 30) -> nn.Module:
    """`torch.optim.SGD`와 mse_loss로 net을 epochs번 학습하고 그 net을 돌려줍니다.

    Train net for `epochs` steps with `torch.optim.SGD` and mse_loss, and return that net.

    - net: lecture_net이 만든 것 같은 nn.Linear. inputs: net에 넣을 입력, 모양 (n, in_features), float32.
      y: 모양 (n,1), float32.
      net: an nn.Linear such as lecture_net makes. inputs: what net takes, shape (n, in_features), float32.
      y: shape (n,1), float32.
    - 학습률이 lr인 `torch.optim.SGD(net.parameters(), lr=lr)`를 만들고, 전체 데이터로 epochs번 반복합니다:
      `loss = mse_loss(net(inputs), y)`, `loss.backward()`, 한 걸음 업데이트(`step`),
      기울기 지우기(`zero_grad`).
      Make `torch.optim.SGD(net.parameters(), lr=lr)` and run `epochs` full-batch steps:
      `loss = mse_loss(net(inputs), y)`, `loss.backward()`, the update (`step`), clearing the gradients
      (`zero_grad`).
    - 받은 net을 제자리에서 학습하고 바로 그 net 객체를 돌려줍니다. 새 net을 만들지 마세요.
      Train the given net in place and return that very object; do not make a new net.
    - inputs와 y는 바꾸지 마세요.
      Do not modify inputs or y.

    힌트: `zero_grad`를 빼먹거나 반복문 밖에서 한 번만 호출하면 기울기가 epoch마다 누적됩니다.
    fit은 기본값이 아닌 lr과 epochs로도 호출됩니다.
    Hint: without `zero_grad`, or with one call outside the loop, the gradients add up epoch after epoch.
    fit is also called with lr and epochs other than the defaults.
    """
    # YOUR CODE HERE
    raise NotImplementedError()
