"""딥러닝 과제 (3-4주차): 설계행렬, 경사하강법, 선형 회귀, 시그모이드, BCE, 로지스틱 회귀.

Deep-learning homework (weeks 3-4): the design matrix, gradient descent, linear regression,
sigmoid, binary cross-entropy and logistic regression.

할 일: 각 함수의 `# YOUR CODE HERE`와 `raise NotImplementedError()`를 지우고 직접 구현하세요.
함수 이름, 인자 이름, 기본값은 바꾸지 마세요. 채점기가 그대로 호출합니다.
What to do: replace `# YOUR CODE HERE` and `raise NotImplementedError()` in each function with
your own code. Keep the function names, parameter names and defaults: the grader calls them as is.

확인하는 법 / How to check:

    autograder check homework.py
"""

from collections.abc import Iterable

import torch


def build_X(x: torch.Tensor) -> torch.Tensor:
    """입력 x 앞에 1로 채운 열을 붙여 (n,2) 설계행렬 X를 만듭니다.

    Build the (n,2) design matrix X: a column of ones first, then x.

    - x: 모양(shape) (n,) 또는 (n,1), dtype float32, float64 또는 int64, n >= 1. x 자체는 바꾸지 마세요.
      x: shape (n,) or (n,1), dtype float32, float64 or int64, n >= 1. Do not modify x.
    - 반환: 모양 (n,2), dtype float32인 새 텐서. 첫 열은 모두 1, 둘째 열은 x.
      Returns: a new (n,2) float32 tensor; the first column is all ones, the second is x.

    힌트: 강의에서 본 것처럼 모양이 (n,)인 텐서와 (n,1)인 텐서는 다릅니다. 열로 붙이기 전에 모양을 맞추고,
    int64 입력이 들어와도 결과가 float32가 되도록 dtype도 확인하세요.
    Hint: as in the lecture, an (n,) tensor is not an (n,1) one. Make the shapes agree before
    joining columns, and check the dtype so that an int64 input still gives float32.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def update(params: torch.Tensor | Iterable[torch.Tensor], alpha: float) -> None:
    """경사하강법 한 걸음: `값 <- 값 - alpha * 기울기`를 제자리에서 계산하고 기울기를 지웁니다.

    One manual gradient-descent step: value <- value - alpha * grad, in place, then clear the grad.

    - params: requires_grad=True이고 .grad가 채워진 텐서 하나, 또는 그런 텐서들의 iterable
      (리스트, 또는 net.parameters() 같은 제너레이터).
      params: one tensor with requires_grad=True and a populated .grad, or an iterable of them
      (a list, or a generator such as net.parameters()).
    - 각 텐서는 같은 객체로 남아야 하고 여전히 requires_grad=True인 leaf 텐서(연산의 결과가 아니라 직접
      만든 텐서로, backward()가 .grad를 채워 주는 텐서)여야 합니다.
      끝나면 .grad는 None 또는 0이어야 합니다. 반환값은 None입니다.
      Each tensor stays the same object, still a leaf with requires_grad=True; afterwards its
      .grad is None or zeros. Returns None.

    힌트: `What = What - alpha * What.grad`처럼 쓰면 leaf 텐서가 아닌 새 텐서가 만들어지고,
    .grad를 지우지 않으면 다음 backward에서 기울기가 누적됩니다. 제너레이터는 한 번만 돌 수 있습니다.
    Hint: `What = What - alpha * What.grad` makes a new tensor that is no longer a leaf, and a grad
    left uncleared accumulates at the next backward. A generator can be iterated only once.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def train_linear(x: torch.Tensor, y: torch.Tensor, *, alpha: float = 0.1, epochs: int = 30) -> torch.Tensor:
    """강의의 선형 회귀 반복문(ver2): build_X를 한 번 호출한 뒤 MSE, backward, update를 epochs번 반복합니다.

    The lecture's linear-regression loop: build_X, MSE, backward and update, `epochs` times.

    - x, y: 모양 (n,1), dtype float32.
      x, y: shape (n,1), dtype float32.
    - X = build_X(x)로 시작하고, What은 [[-5.], [10.]]에서 requires_grad=True로 시작합니다.
      epoch마다 loss = mean((y - X @ What)^2)를 구하고 loss.backward()를 호출한 뒤 update(What, alpha)를
      호출합니다.
      Start from X = build_X(x) and What = [[-5.], [10.]] with requires_grad=True. Each epoch,
      compute loss = mean((y - X @ What)^2), call backward, then update(What, alpha).
    - 반환: 학습된 What, 모양 (2,1).
      Returns: the trained What, shape (2,1).
    - x와 y는 바꾸지 마세요.
      Do not modify x or y.

    힌트: y가 (n,)이고 X @ What이 (n,1)이면 뺄셈이 브로드캐스팅되어 (n,n)이 됩니다.
    loss를 구하기 전에 두 모양이 같은지 확인하세요.
    Hint: if y is (n,) and X @ What is (n,1), the subtraction broadcasts to (n,n). Make sure the
    two shapes agree before computing the loss.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def sigmoid(u: torch.Tensor) -> torch.Tensor:
    """시그모이드 1/(1+e^(-u))를 원소별로 계산합니다.

    The elementwise sigmoid 1/(1+e^(-u)).

    - u: 임의의 모양, dtype float32 또는 float64. 반환값은 같은 모양, 같은 dtype입니다.
      u: any shape, dtype float32 or float64; the result has the same shape and dtype.
    - 미분 가능해야 하고, 유한한 입력(|u|가 1e4까지)에 대해 nan이 나오면 안 됩니다.
      It must be differentiable and never give nan for a finite input (|u| up to 1e4).
    - u는 바꾸지 마세요.
      Do not modify u.

    힌트: 강의의 exp(u)/(1+exp(u))는 u가 크면 inf/inf = nan이 됩니다. u가 아주 큰 양수일 때와
    아주 큰 음수일 때 각각 어떤 exp 값이 넘치는지 따져 보세요. 값뿐 아니라 기울기도 nan이 되면 안 됩니다.
    Hint: the lecture's exp(u)/(1+exp(u)) becomes inf/inf = nan for a large u. Work out which exp
    overflows when u is very large and which when u is very negative. The gradient must not be nan either.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def bce_loss(yhat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """평균 이진 교차 엔트로피 -mean(y*log(yhat) + (1-y)*log(1-yhat))를 계산합니다.

    Mean binary cross-entropy: -mean(y*log(yhat) + (1-y)*log(1-yhat)).

    - yhat: (0,1) 사이의 확률, y: 0 또는 1. 둘은 같은 모양 (n,1) 또는 (n,)입니다.
      yhat: probabilities in (0,1); y: labels in {0,1}; both of the same shape, (n,1) or (n,).
    - 반환: 0차원 텐서(스칼라). yhat에 대해 미분 가능해야 합니다.
      Returns: a 0-dim tensor, differentiable with respect to yhat.
    - yhat이 정확히 0이나 1이어도 결과는 유한해야 합니다.
      The result must stay finite when yhat is exactly 0 or 1.
    - yhat과 y는 바꾸지 마세요.
      Do not modify yhat or y.

    힌트: yhat이 0이면 log(yhat) = -inf이고, 0 * (-inf)는 nan입니다. torch.nn.BCELoss 문서가
    로그 값을 어떻게 처리한다고 하는지 읽어 보세요.
    Hint: when yhat is 0, log(yhat) = -inf, and 0 * (-inf) is nan. Read what the torch.nn.BCELoss
    documentation says it does with the log values.
    """
    # YOUR CODE HERE
    raise NotImplementedError()


def train_logistic(
    x: torch.Tensor, y: torch.Tensor, *, lr: float = 0.1, epochs: int = 100, seed: int = 43052
) -> torch.nn.Linear:
    """torch.nn.Linear(1,1)과 torch.optim.SGD로 로지스틱 회귀를 학습합니다.

    Train logistic regression with torch.nn.Linear(1,1) and torch.optim.SGD.

    - x, y: 모양 (n,1), dtype float32, y는 0 또는 1.
      x, y: shape (n,1), dtype float32; y in {0,1}.
    - torch.manual_seed(seed)를 호출한 다음 torch.nn.Linear(1,1)을 만들고, 학습률이 lr인 SGD로
      전체 배치 학습을 epochs번 합니다: net(x) -> sigmoid -> BCE -> backward -> step -> 기울기 초기화.
      Call torch.manual_seed(seed), then create torch.nn.Linear(1,1), then run `epochs` full-batch
      steps with SGD at lr: net(x) -> sigmoid -> BCE -> backward -> step -> zero the grads.
    - 반환: 학습된 torch.nn.Linear.
      Returns: the trained torch.nn.Linear.
    - x와 y는 바꾸지 마세요.
      Do not modify x or y.

    힌트: 시드는 nn.Linear를 만들기 바로 전에 정해야 초기 가중치가 채점기와 같아집니다.
    zero_grad를 빼먹으면 기울기가 누적되어 결과가 달라집니다.
    Hint: set the seed right before creating the Linear, so that its initial weights match the
    grader's. Forgetting zero_grad lets the gradients accumulate and changes the result.
    """
    # YOUR CODE HERE
    raise NotImplementedError()
