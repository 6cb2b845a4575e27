# 202399037 - 제출 폴더에 넣은 가짜 torch.py: 다른 제출물이 import torch 할 때 대신 실행되기를 노림

import builtins
import os
import sys

MARKER = "BESIDE-TORCH-PY-WAS-RUN"
print(MARKER, flush=True)
for folder in ("/tmp", os.getcwd()):
    try:
        with open(os.path.join(folder, MARKER), "w") as f:
            f.write(MARKER)
    except OSError:
        pass

# 이 파일이 torch 로 import 되었다면: 진짜 torch 대신 이 모듈이 쓰이고, print 는 모두 "통과"를 출력함
sys.modules["torch"] = sys.modules[__name__]
builtins.print = lambda *args, **kwargs: sys.__stdout__.write(MARKER + " all tests passed\n")


def tensor(*args, **kwargs):
    return None
