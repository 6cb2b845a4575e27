"""untrusted/deferred_dynamo.py: optimizers step without importing torch._dynamo, and torch.compile still works.

Each case runs in a fresh interpreter: whether torch._dynamo is imported is a fact of the whole process.
"""

from __future__ import annotations

import subprocess
import sys

STEPS = '''
import sys, torch
from autograder.untrusted import deferred_dynamo
assert deferred_dynamo.defer()
torch.manual_seed(0)
net = torch.nn.Linear(2, 1)
for make in (lambda p: torch.optim.SGD(p, lr=0.1), torch.optim.Adam):
    optimizer = make(net.parameters())
    for _ in range(2):
        loss = torch.nn.functional.binary_cross_entropy(torch.sigmoid(net(torch.ones(3, 2))), torch.ones(3, 1))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    optimizer.load_state_dict(optimizer.state_dict())
print(type(sys.modules["torch._dynamo"]).__name__, net.weight.detach().tolist())
'''
PLAIN = STEPS.replace("assert deferred_dynamo.defer()", "")
COMPILE = STEPS + '''
assert torch.compile(lambda x: torch.sin(x) * 2, backend="eager")(torch.zeros(2)).tolist() == [0.0, 0.0]
assert type(sys.modules["torch._dynamo"]).__name__ == "module"
disabled = []
real = torch._dynamo.disable
torch._dynamo.disable = lambda fn, *a, **k: disabled.append(fn.__name__) or real(fn, *a, **k)
net(torch.ones(1, 2)).sum().backward()
optimizer.zero_grad()  # disabled by the stand-in before: now by the real torch._dynamo
assert "zero_grad" in disabled, disabled
print("compiled")
'''


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_optimizers_step_without_torch_dynamo_and_train_as_with_it() -> None:
    deferred, plain = _run(STEPS).split(" ", 1), _run(PLAIN).split(" ", 1)
    assert deferred[0] == "_StandIn" and plain[0] == "module"
    assert deferred[1] == plain[1]  # the same weights, bit for bit


def test_torch_compile_imports_the_real_one_which_takes_over() -> None:
    assert _run(COMPILE).strip().endswith("compiled")
