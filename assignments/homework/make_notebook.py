"""Write homework.ipynb, nbgrader's source notebook, from homework.py, data.py and the reference.

The function cells are cut out of homework.py and the data cell out of data.py (by `ast`), never
retyped; each function's body is the reference's (solutions/homework.py) inside nbgrader's
solution region, followed by a locked autograder-test cell worth that function's points in the
check registry. `nbgrader generate_assignment` (or `autograder release homework`) strips the
solutions and hidden tests into the student's notebook. The output is deterministic (fixed cell
ids, no outputs), so `--check` can compare bytes.

Usage:
    python assignments/homework/make_notebook.py          # write homework.ipynb
    python assignments/homework/make_notebook.py --check  # exit 1 if homework.ipynb is stale
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
from pathlib import Path

import nbformat
from nbformat.notebooknode import NotebookNode

from autograder.trusted.registry import all_checks

HERE = Path(__file__).resolve().parent
REFERENCE = HERE.parents[1] / "solutions" / "homework.py"
STUB = HERE / "homework.py"
DATA = HERE / "data.py"
NOTEBOOK = HERE / "homework.ipynb"

# The lecture's order: regression first (week 3), then logistic regression (week 4).
FUNCTIONS = ("build_X", "update", "train_linear", "sigmoid", "bce_loss", "train_logistic")
DATA_NAMES = ("REGRESSION_SEED", "CLASSIFICATION_SEED", "regression_data", "classification_data")

TITLE = r"""# 딥러닝 과제: 3-4주차 / Deep-learning homework: weeks 3-4

이번 과제에서는 강의에서 한 줄씩 짰던 코드를 함수로 정리합니다. 먼저 선형회귀를 경사하강법으로 직접
학습하고, 다음으로 `torch.nn.Linear`와 `torch.optim.SGD`를 써서 로지스틱 회귀를 학습합니다.

In this homework you turn the code we wrote line by line in the lectures into functions: first linear
regression trained by hand-written gradient descent, then logistic regression with `torch.nn.Linear`
and `torch.optim.SGD`."""

WHAT_TO_DO = r"""## 할 일 / What to do

- 아래 함수 셀 여섯 개에서 `# YOUR CODE HERE`와 `raise NotImplementedError()`를 지우고 함수를 완성하세요.
  함수 이름, 인자 이름, 기본값은 바꾸지 마세요. 채점기가 그대로 호출합니다.
- 함수 셀 바로 다음 셀은 결과를 눈으로 확인하는 셀입니다. 함수를 완성하기 전에는 `NotImplementedError`가
  나는 것이 정상입니다.
- 위에서부터 순서대로 실행하세요. 뒤의 함수가 앞의 함수를 씁니다
  (예: `train_linear`는 `build_X`와 `update`를 씁니다).
- 다 했으면 노트북을 저장하고 터미널에서 확인하세요: `autograder check homework.ipynb`.
  함수를 `homework.py`에 옮겨 적었다면 `autograder check homework.py`로 확인합니다.

- In each of the six function cells below, replace `# YOUR CODE HERE` and `raise NotImplementedError()`
  with your code. Keep the function names, parameter names and defaults: the grader calls them as is.
- The cell right after each function cell lets you see what your function does. Until you have written
  the function it raises `NotImplementedError`; that is expected.
- Run the cells from the top, in order. Later functions use earlier ones (for example, `train_linear`
  uses `build_X` and `update`).
- When you are done, save the notebook and check it in a terminal: `autograder check homework.ipynb`.
  If you copied your functions into `homework.py`, check that with `autograder check homework.py`."""

SETUP = """from collections.abc import Iterable

import torch
import matplotlib.pyplot as plt"""

DATA_INTRO = r"""## 데이터 / Data

강의와 같은 모양의 데이터입니다. 회귀용은 $y = 2.5 + 4x + \epsilon$에서, 분류용은
$y \sim \mathrm{Bernoulli}(\mathrm{sigmoid}(-1 + 5x))$에서 뽑았습니다. 시드를 고정해 두었기 때문에 누구의
컴퓨터에서나 같은 숫자가 나옵니다. 다음 셀은 `data.py`의 코드 그대로이니 고치지 마세요.

Data shaped like the lecture's: the regression data come from $y = 2.5 + 4x + \epsilon$, the
classification data from $y \sim \mathrm{Bernoulli}(\mathrm{sigmoid}(-1 + 5x))$. The seeds are fixed, so
every computer gets the same numbers. The next cell is the code of `data.py`; do not edit it."""

DATA_PLOT = """x, y = regression_data()
x_cls, y_cls = classification_data()
print(x.shape, y.shape, x_cls.shape, y_cls.shape)

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
ax1.scatter(x, y, s=10, alpha=0.5)
ax1.set_title("regression: y = 2.5 + 4x + noise")
ax2.scatter(x_cls, y_cls, s=10, alpha=0.5)
ax2.set_title("classification: y in {0, 1}")
plt.show()"""

INTRO = {
    "build_X": r"""## 1. `build_X`: 설계행렬 / the design matrix

강의에서는 $y_i = w_0 + w_1 x_i + \epsilon_i$를 행렬로 모아
${\bf y} = {\bf X}{\bf W} + \boldsymbol{\epsilon}$로 썼습니다.
${\bf X}$의 첫 열은 절편 $w_0$에 곱해지는 1이고, 둘째 열은 $x$입니다.

$${\bf X} = \begin{bmatrix} 1 & x_1 \\ 1 & x_2 \\ \vdots & \vdots \\ 1 & x_n \end{bmatrix}$$

- 입력 `x`: 모양 `(n,)` 또는 `(n,1)`, dtype은 float32, float64, int64 중 하나입니다.
- 출력: 모양 `(n,2)`, dtype float32. `x` 자체는 바꾸지 마세요.
- 주의: `torch.cat`으로 열을 붙이려면 두 텐서의 차원 수가 같아야 합니다. `(n,)`와 `(n,1)`은 다른 모양입니다.

In the lecture we stacked $y_i = w_0 + w_1 x_i + \epsilon_i$ into
${\bf y} = {\bf X}{\bf W} + \boldsymbol{\epsilon}$.
The first column of ${\bf X}$ is the 1 that multiplies the intercept $w_0$; the second is $x$.

- Input `x`: shape `(n,)` or `(n,1)`, dtype float32, float64 or int64.
- Output: shape `(n,2)`, dtype float32. Do not modify `x`.
- Watch out: `torch.cat` needs tensors with the same number of dimensions; `(n,)` and `(n,1)` differ.""",
    "update": r"""## 2. `update`: 경사하강법 한 걸음 / one gradient-descent step

강의에서는 `loss.backward()`로 기울기를 구한 다음 이렇게 업데이트했습니다.

$$\hat{\bf W} \leftarrow \hat{\bf W} - \alpha \frac{\partial\, \mathrm{loss}}{\partial \hat{\bf W}}$$

이 한 걸음을 함수로 만드세요. `params`는 텐서 하나일 수도 있고, 여러 텐서를 담은 리스트나
`net.parameters()` 같은 제너레이터일 수도 있습니다.

- 값은 제자리에서 바꾸세요: 같은 텐서 객체로, 여전히 `requires_grad=True`인 leaf로 남아야 합니다.
- 업데이트한 뒤에는 `.grad`를 지우세요 (`None` 또는 0). 지우지 않으면 다음 `backward()`에서
  기울기가 더해집니다.
- 반환값은 없습니다 (`None`).

In the lecture we got the gradient with `loss.backward()` and then took the step above. Turn that step
into a function. `params` is one tensor, or several: a list, or a generator such as `net.parameters()`.

- Change the values in place: each tensor stays the same object, still a leaf with `requires_grad=True`.
- After the step, clear `.grad` (`None` or zeros); otherwise the next `backward()` adds to it.
- Return nothing (`None`).""",
    "train_linear": r"""## 3. `train_linear`: 선형회귀 학습 / training linear regression

강의의 반복문 그대로입니다.

1. `X = build_X(x)`
2. `What`은 `[[-5.], [10.]]`에서 `requires_grad=True`로 시작합니다.
3. `epochs`번 반복합니다: $\hat{\bf y} = {\bf X}\hat{\bf W}$,
   $\mathrm{loss} = \frac{1}{n}\sum_{i=1}^n (y_i - \hat{y}_i)^2$, `loss.backward()`, `update(What, alpha)`.
4. 모양이 `(2,1)`인 `What`을 돌려줍니다.

`y`와 `X @ What`의 모양이 다르면 뺄셈이 브로드캐스팅되어 엉뚱한 loss가 나옵니다. 학습이 잘 되었다면 `What`은
참값 $(2.5, 4)$ 근처에 있어야 합니다.

This is the lecture's loop: `X = build_X(x)`; `What` starts at `[[-5.], [10.]]` with `requires_grad=True`;
then `epochs` times: $\hat{\bf y} = {\bf X}\hat{\bf W}$, the mean squared error, `loss.backward()`,
`update(What, alpha)`. Return `What`, shape `(2,1)`. If `y` and `X @ What` have different shapes, the
subtraction broadcasts and the loss is wrong. A good fit lands near the true $(2.5, 4)$.""",
    "sigmoid": r"""## 4. `sigmoid`: 시그모이드 / the sigmoid

로지스틱 회귀에서는 $u = w_0 + w_1 x$를 0과 1 사이의 확률로 바꾸려고 시그모이드를 씁니다.

$$\mathrm{sigmoid}(u) = \frac{1}{1+e^{-u}}$$

- 모양과 dtype(float32 또는 float64)을 그대로 유지하세요.
- 미분 가능해야 합니다. autograd가 따라갈 수 있도록 torch 연산으로 계산하세요.
- $|u|$가 1e4처럼 커도 `nan`이 나오면 안 됩니다. 강의에서 쓴 `torch.exp(u)/(1+torch.exp(u))`를
  `u = 1e4`에서 계산해 보세요. 무엇이 나오나요?

Logistic regression turns $u = w_0 + w_1 x$ into a probability between 0 and 1 with the sigmoid above.
Keep the shape and the dtype (float32 or float64), compute with torch operations so that autograd can
follow, and never give `nan` for a finite input, even $|u|$ as large as 1e4. Try the lecture's
`torch.exp(u)/(1+torch.exp(u))` at `u = 1e4`: what comes out?""",
    "bce_loss": r"""## 5. `bce_loss`: 이진 교차 엔트로피 / binary cross-entropy

$$\mathrm{loss} = -\frac{1}{n}\sum_{i=1}^n \left( y_i \log \hat{y}_i + (1-y_i)\log(1-\hat{y}_i) \right)$$

- `yhat`(0과 1 사이의 확률)과 `y`(0 또는 1)는 같은 모양 `(n,1)` 또는 `(n,)`입니다.
- 결과는 0차원 텐서이고, `yhat`에 대해 미분 가능해야 합니다.
- `yhat`이 정확히 0이나 1이면 $\log 0 = -\infty$이고, $0 \times (-\infty)$는 `nan`입니다. 이때도 결과가
  유한하게 나오도록 하세요. `torch.nn.BCELoss` 문서에 힌트가 있습니다.

`yhat` (probabilities in (0,1)) and `y` (labels 0 or 1) have the same shape, `(n,1)` or `(n,)`. Return a
0-dim tensor, differentiable with respect to `yhat`. When `yhat` is exactly 0 or 1, $\log 0 = -\infty$ and
$0 \times (-\infty)$ is `nan`: keep the result finite. The `torch.nn.BCELoss` documentation has a hint.""",
    "train_logistic": r"""## 6. `train_logistic`: 로지스틱 회귀 학습 / training logistic regression

이번에는 `What`을 직접 만드는 대신 `torch.nn.Linear(1,1)`을, 직접 짠 `update` 대신
`torch.optim.SGD`를 씁니다.

1. `torch.manual_seed(seed)`를 부른 다음 `torch.nn.Linear(1,1)`을 만듭니다. 순서가 바뀌면
   초기 가중치가 달라집니다.
2. 학습률이 `lr`인 `torch.optim.SGD`를 만듭니다.
3. `epochs`번 반복합니다: 전체 데이터로 `sigmoid`, `bce_loss`, `backward()`, `step()`,
   그리고 기울기 초기화.
4. 학습된 `torch.nn.Linear`를 돌려줍니다.

This time `torch.nn.Linear(1,1)` replaces the hand-made `What`, and `torch.optim.SGD` replaces `update`.
Call `torch.manual_seed(seed)`, then create the layer (the other way round gives other initial weights),
make the optimizer with `lr`, run `epochs` full-batch steps of sigmoid, BCE, `backward()`, `step()` and
zeroing the gradients, and return the trained layer.""",
}

EXPLORE = {
    "build_X": """X = build_X(x)
print(X.shape, X.dtype)  # torch.Size([100, 2]) torch.float32
print(X[:3])
print(build_X(torch.tensor([1, 2, 3])))  # 1차원 int64 입력 / a 1-D int64 input""",
    "update": """# (w - 1)^2의 기울기는 2(w - 1)이므로 w = 3에서 4입니다.
# The gradient of (w - 1)^2 is 2(w - 1): 4 at w = 3.
w = torch.tensor(3.0, requires_grad=True)
loss = (w - 1) ** 2
loss.backward()
update(w, 0.1)
print(w, w.grad)  # w = 3 - 0.1 * 4 = 2.6, grad: None 또는 0 / None or zeros

# net.parameters() 같은 제너레이터도 받아야 합니다. / It must take a generator such as net.parameters().
net = torch.nn.Linear(1, 1)
net(torch.ones(1, 1)).sum().backward()  # weight와 bias의 기울기는 둘 다 1 / both gradients are 1
before = [p.detach().clone() for p in net.parameters()]
update(net.parameters(), 0.1)
print([b - p.detach() for b, p in zip(before, net.parameters())])  # 둘 다 0.1 / both 0.1""",
    "train_linear": """# epochs가 늘어날수록 직선이 데이터에 다가갑니다.
# The line moves onto the data as epochs grow.
plt.scatter(x, y, s=10, alpha=0.3, label="data")
for epochs in (0, 3, 10, 30):
    What = train_linear(x, y, epochs=epochs)
    plt.plot(x, (build_X(x) @ What).data, label=f"epochs={epochs}")
plt.legend()
plt.show()
print(What.data)  # 참값 / true values: [[2.5], [4.0]]""",
    "sigmoid": """u = torch.linspace(-10, 10, 201)
plt.plot(u, sigmoid(u), label="sigmoid(u)")
plt.plot(u, torch.sigmoid(u), "--", label="torch.sigmoid(u)")
plt.legend()
plt.show()
print(sigmoid(torch.tensor([-1e4, 0.0, 1e4])))  # nan 없이 [0, 0.5, 1] / [0, 0.5, 1], no nan""",
    "bce_loss": """yhat = torch.tensor([0.9, 0.2, 0.6])
y_true = torch.tensor([1.0, 0.0, 1.0])
print(bce_loss(yhat, y_true))
print(torch.nn.functional.binary_cross_entropy(yhat, y_true))  # 같아야 합니다 / should match
# yhat이 정확히 0이나 1이어도 유한해야 합니다. / Finite even when yhat is exactly 0 or 1.
print(bce_loss(torch.tensor([0.0, 1.0]), torch.tensor([1.0, 0.0])))""",
    "train_logistic": """# 기본값(lr=0.1)과 학습률을 키운 경우(lr=1.0)를 비교해 봅시다.
# Compare the default lr=0.1 with lr=1.0.
net_default = train_logistic(x_cls, y_cls)
net_fast = train_logistic(x_cls, y_cls, lr=1.0)
plt.scatter(x_cls, y_cls, s=10, alpha=0.3, label="data")
plt.plot(x_cls, sigmoid(net_default(x_cls)).data, label="lr=0.1")
plt.plot(x_cls, sigmoid(net_fast(x_cls)).data, label="lr=1.0")
plt.plot(x_cls, torch.sigmoid(-1 + 5 * x_cls), "--", label="true: sigmoid(-1 + 5x)")
plt.legend()
plt.show()
print(net_fast.weight.data, net_fast.bias.data)  # 참값 / true values: 5, -1""",
}

FINISH = r"""## 제출하기 전에 / Before you hand in

노트북을 저장한 뒤 터미널에서 확인하세요. 함수를 `homework.py`에 옮겨 적었다면 두 번째 줄을 쓰세요.

Save the notebook, then check it in a terminal; if you copied your functions into `homework.py`, use the
second line.

```
autograder check homework.ipynb
autograder check homework.py
```"""


def top_level_sources(path: Path, names: tuple[str, ...]) -> dict[str, str]:
    """Source text of the named top-level functions and constants, cut out of the file, not retyped."""
    source = path.read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            if node.decorator_list:
                raise SystemExit(
                    f"{path.name}: {node.name} has decorators; the notebook cell would drop them"
                )
            name = node.name
        elif (
            isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        ):
            name = node.targets[0].id
        else:
            continue
        segment = ast.get_source_segment(source, node)
        if name in names and segment is not None:
            found[name] = segment
    missing = [name for name in names if name not in found]
    if missing:
        raise SystemExit(f"{path.name}: not found at top level: {', '.join(missing)}")
    return {name: found[name] for name in names}


PLACEHOLDER = "    # YOUR CODE HERE\n    raise NotImplementedError()"

TEST_CELL = """# 자동 채점 셀: 수정하지 마세요 / Autograder cell: do not edit.
# {name}: {points:g}점 / {points:g} points. 미리 확인 / check first: autograder check homework.ipynb
### BEGIN HIDDEN TESTS
from autograder.in_kernel import score
score("{name}", globals())
### END HIDDEN TESTS"""


def reference_bodies() -> dict[str, str]:
    """Each reference function's body (docstring dropped), as written in solutions/homework.py."""
    source = REFERENCE.read_text(encoding="utf-8")
    lines = source.splitlines()
    bodies = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name in FUNCTIONS:
            body = node.body
            if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]
            bodies[node.name] = "\n".join(lines[body[0].lineno - 1:node.end_lineno])
    return bodies


def solution_cell(stub: str, body: str) -> str:
    """The stub with its placeholder replaced by the reference inside nbgrader's solution region.

    `nbgrader generate_assignment` turns the region back into the placeholder, so the released
    cell is exactly the stub; a test checks both directions.
    """
    if stub.count(PLACEHOLDER) != 1:
        raise SystemExit("a stub's body must be exactly the placeholder")
    return stub.replace(PLACEHOLDER, f"    ### BEGIN SOLUTION\n{body}\n    ### END SOLUTION")


def nbgrader_metadata(name: str, *, test: bool, points: float = 0) -> dict:
    if test:
        return {"grade": True, "grade_id": f"test_{name}", "locked": True, "points": points,
                "schema_version": 3, "solution": False, "task": False}
    return {"grade": False, "grade_id": name, "locked": False, "schema_version": 3, "solution": True,
            "task": False}


def build_notebook() -> NotebookNode:
    """The whole notebook; cell ids come from positions so that two runs give the same bytes."""
    functions = top_level_sources(STUB, FUNCTIONS)
    data = top_level_sources(DATA, DATA_NAMES)
    constants = "\n".join(data[name] for name in DATA_NAMES if name.isupper())
    data_cell = "\n\n\n".join([constants] + [data[name] for name in DATA_NAMES if not name.isupper()])

    v4 = nbformat.v4
    cells = [v4.new_markdown_cell(TITLE), v4.new_markdown_cell(WHAT_TO_DO), v4.new_code_cell(SETUP)]
    cells += [v4.new_markdown_cell(DATA_INTRO), v4.new_code_cell(data_cell), v4.new_code_cell(DATA_PLOT)]
    bodies = reference_bodies()
    points = {name: sum(c.points for c in all_checks() if c.function == name) for name in FUNCTIONS}
    for name in FUNCTIONS:
        cells.append(v4.new_markdown_cell(INTRO[name]))
        cells.append(v4.new_code_cell(solution_cell(functions[name], bodies[name]), metadata={
            "tags": [f"function:{name}"], "nbgrader": nbgrader_metadata(name, test=False)}))
        cells.append(v4.new_code_cell(TEST_CELL.format(name=name, points=points[name]), metadata={
            "nbgrader": nbgrader_metadata(name, test=True, points=points[name])}))
        if name in EXPLORE:
            cells.append(v4.new_code_cell(EXPLORE[name]))
    cells.append(v4.new_markdown_cell(FINISH))
    for position, cell in enumerate(cells):
        cell["id"] = f"cell-{position:02d}"

    notebook = v4.new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
    )
    nbformat.validate(notebook)
    return notebook


def render(notebook: NotebookNode) -> str:
    """The exact text nbformat.write puts in the file (sorted keys, trailing newline)."""
    buffer = io.StringIO()
    nbformat.write(notebook, buffer)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write the notebook, or with --check report (exit 1) when the one on disk differs."""
    parser = argparse.ArgumentParser(description="Write homework.ipynb from homework.py and data.py.")
    parser.add_argument("--check", action="store_true", help="exit 1 if the notebook is not up to date")
    parser.add_argument(
        "--notebook", type=Path, default=NOTEBOOK, help="notebook path (default: %(default)s)"
    )
    args = parser.parse_args(argv)

    text = render(build_notebook())
    if args.check:
        current = args.notebook.read_bytes() if args.notebook.exists() else None
        if current != text.encode("utf-8"):
            print(
                f"{args.notebook} is out of date with homework.py/data.py/make_notebook.py; "
                "run: python assignments/homework/make_notebook.py",
                file=sys.stderr,
            )
            return 1
        print(f"{args.notebook} is up to date")
        return 0
    args.notebook.write_text(text, encoding="utf-8", newline="\n")
    print(f"wrote {args.notebook}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
