# 기계학습특강 과제 (3~4주차: 회귀와 로지스틱 회귀)
# 학번: 202312345   이름: 김민준
#
# 강의노트 따라서 작성했습니다.

import torch


# ---------------------------------------------------------------------------
# 1. 설계행렬 X 만들기
# ---------------------------------------------------------------------------
def build_X(x):
    # x가 (n,) 이든 (n,1) 이든 (n,1)로 바꾸고 float32로 맞춤
    x = x.reshape(-1, 1).float()
    n = x.shape[0]
    # 첫 열은 1, 두번째 열은 x
    X = torch.cat([torch.ones(n, 1), x], axis=1)
    return X


# ---------------------------------------------------------------------------
# 2. 경사하강법 한 스텝 (수동 업데이트)
# ---------------------------------------------------------------------------
def update(params, alpha):
    # 텐서 하나가 들어오면 리스트로 감싸줌 (net.parameters() 같은 제너레이터도 OK)
    if isinstance(params, torch.Tensor):
        params = [params]
    for What in params:
        # 강의에서 한 것처럼 .data 로 값만 바꾸기
        What.data = What.data - alpha * What.grad
        What.grad = None


# ---------------------------------------------------------------------------
# 3. 시그모이드
# ---------------------------------------------------------------------------
def sigmoid(u):
    # 안정적인 시그모이드: exp(-|u|)만 계산하니까 절대 넘치지 않음
    e = torch.exp(-torch.abs(u))
    return torch.where(u >= 0, 1 / (1 + e), e / (1 + e))


# ---------------------------------------------------------------------------
# 4. BCE loss
# ---------------------------------------------------------------------------
def bce_loss(yhat, y):
    # log(0) = -inf 가 되는 것을 막기 위해 torch 처럼 -100 에서 잘라줌
    log_yhat = torch.clamp(torch.log(yhat), min=-100)
    log_1_yhat = torch.clamp(torch.log(1 - yhat), min=-100)
    loss = -torch.mean(y * log_yhat + (1 - y) * log_1_yhat)
    return loss


# ---------------------------------------------------------------------------
# 5. 로지스틱 회귀 학습
# ---------------------------------------------------------------------------
def train_logistic(x, y, *, lr=0.1, epochs=100, seed=43052):
    torch.manual_seed(seed)
    net = torch.nn.Linear(in_features=1, out_features=1)
    optimizr = torch.optim.SGD(net.parameters(), lr=lr)
    for epoc in range(epochs):
        # step1: yhat
        yhat = sigmoid(net(x))
        # step2: loss
        loss = bce_loss(yhat, y)
        # step3: 미분
        loss.backward()
        # step4: update
        optimizr.step()
        optimizr.zero_grad()
    return net


# ---------------------------------------------------------------------------
# 6. 선형회귀 학습 (강의 코드)
# ---------------------------------------------------------------------------
def train_linear(x, y, *, alpha=0.1, epochs=30):
    X = build_X(x)
    y = y.reshape(-1, 1)
    What = torch.tensor([[-5.0], [10.0]], requires_grad=True)
    for epoc in range(epochs):
        # step1: yhat
        yhat = X @ What
        # step2: loss
        loss = torch.mean((y - yhat) ** 2)
        # step3: 미분
        loss.backward()
        # step4: update
        update(What, alpha)
    return What


if __name__ == "__main__":
    import sys
    sys.path.append("assignments/homework")
    from data import classification_data, regression_data

    x, y = regression_data()
    print(train_linear(x, y))
    x, y = classification_data()
    net = train_logistic(x, y)
    print(net.weight.data, net.bias.data)
