# 202399038 - 제출 폴더에 넣은 sitecustomize.py: 파이썬이 시작할 때 자동으로 실행되기를 노림

import builtins
import os

MARKER = "BESIDE-SITECUSTOMIZE-WAS-RUN"
print(MARKER, flush=True)
for folder in ("/tmp", os.getcwd()):
    try:
        with open(os.path.join(folder, MARKER), "w") as f:
            f.write(MARKER)
    except OSError:
        pass

# 이 파일이 자동으로 실행되었다면: 이후의 모든 isinstance 는 True
builtins.isinstance = lambda *args: True
