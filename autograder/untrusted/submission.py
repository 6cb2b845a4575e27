"""One submission's process: run its code once, then fork a fresh child per function graded.

Forked from the zygote, so torch is already imported. Student code runs here (the cells) and in
the check children (the calls); a check child that hangs, crashes or exits takes only itself
down, and the grader sees its socket close. Before the next child is forked, everything the last
one started (processes, and threads with it) is killed.
"""

from __future__ import annotations

import builtins
import gc
import inspect
import linecache
import os
import resource
import shutil
import signal
import socket
import sys
import tempfile
from typing import Any

import torch

from autograder import channel
from autograder.untrusted import ipython_shim, keep_builtins, probes, processes

keep_builtins(globals())


def _limit_memory(budget_mb: int) -> None:
    """Address space = what the warm interpreter already maps + the budget (torch maps a lot)."""
    with open("/proc/self/statm") as f:
        mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = mapped + budget_mb * (1 << 20)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _signature(obj: Any) -> dict[str, Any]:
    if not callable(obj):
        return {"callable": False, "type": type(obj).__qualname__}
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return {"callable": True, "parameters": None}
    return {"callable": True, "parameters": [
        {"name": p.name, "kind": p.kind.name, "has_default": p.default is not inspect.Parameter.empty,
         **({"default": _shown(p.default)} if p.default is not inspect.Parameter.empty else {})}
        for p in sig.parameters.values()
    ]}


def _shown(value: Any) -> str:
    """A default value as the student wrote it (repr, capped), for the signature in a message."""
    if type(value) in (int, float, bool, str, type(None)):  # never a student-defined __repr__
        return repr(value)[:40]
    return type(value).__qualname__[:40]


def load(sock: socket.socket, request: dict[str, Any]) -> dict[str, Any]:
    """Run the cells in order, Jupyter-style: a cell that raises does not stop the next one."""
    namespace: dict[str, Any] = {"__name__": request["module_name"], "__builtins__": builtins}
    builtins.get_ipython = lambda: shell  # type: ignore[attr-defined]
    builtins.display = ipython_shim.display  # type: ignore[attr-defined]
    shell = ipython_shim.Shell(namespace)
    for filename, text in request.get("texts", {}).items():  # tracebacks quote the student's own lines
        linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    for name, text in request.get("support_files", {}).items():  # public files, e.g. data.py
        with open(os.path.basename(name), "w", encoding="utf-8") as f:
            f.write(text)
    sys.path.insert(0, os.getcwd())
    errors = []
    skip = set(request.get("skip", []))
    for index, cell in enumerate(request["cells"]):
        if index in skip:  # it hung or killed the process in an earlier attempt
            continue
        channel.send(sock, {"event": "cell", "index": index})
        try:
            code = compile(cell["source"], cell["filename"], "exec")
            exec(code, namespace)
        except BaseException as exc:  # noqa: BLE001 - SystemExit in a cell is survivable in Jupyter too
            errors.append({"cell": index, **probes.error_facts(exc)})
    _flush()  # else every forked check child would inherit, and print again, the buffered output
    functions = {name: _signature(namespace[name]) if name in namespace else None
                 for name in request.get("functions", [])}  # the assignment's, sent by the grader
    channel.send(sock, {"event": "loaded", "errors": errors, "functions": functions})
    return namespace


def _reference_helpers(helpers: dict[str, Any] | None) -> dict[str, Any]:
    """No double penalty: a training loop is graded with the reference's building blocks (sent by the grader)."""
    if not helpers:
        return {}
    reference: dict[str, Any] = {"__name__": "reference_helpers"}
    exec(compile(helpers["source"], "<reference helpers>", "exec"), reference)
    return {name: reference[name] for name in helpers["names"]}


# What a function could change that the next function would see, besides the notebook's namespace:
# torch's switches, and what the libraries a submission uses are made of (a monkeypatch).
_WATCHED = ("torch", "torch.nn", "torch.nn.functional", "torch.optim", "torch.linalg", "numpy", "math", "builtins")


def _fingerprint(namespace: dict[str, Any], watched: dict[str, tuple[str, ...]]) -> tuple[Any, ...]:
    """The state one function's calls may not leave changed for the next one (compared, never judged):
    torch's switches, the namespace, and what each watched name of a library is bound to (libraries add
    names as they load lazily: only rebinding one counts)."""
    switches = (torch.get_default_dtype(), torch.is_grad_enabled(), torch.is_inference_mode_enabled(),
                torch.are_deterministic_algorithms_enabled(), torch.get_num_threads(), os.getcwd())
    names = tuple(namespace), tuple(map(id, list(namespace.values())))
    bound = []
    for module, keys in watched.items():  # map over builtins: some 4000 names in a millisecond, not ten
        attributes = vars(sys.modules[module]) if module != "torch.Tensor" else vars(torch.Tensor)
        bound.append(hash(tuple(map(id, map(attributes.get, keys)))))
    return switches + (hash(names), *bound)


def _watched() -> dict[str, tuple[str, ...]]:
    names = {module: tuple(vars(sys.modules[module])) for module in _WATCHED if module in sys.modules}
    return {**names, "torch.Tensor": tuple(vars(torch.Tensor))}


def answer_plan(sock: socket.socket, namespace: dict[str, Any], plan: list[dict[str, Any]],
                tensors: dict[str, Any]) -> None:
    """In a fresh child, the fast path: every request the checks send a passing answer, check by check,
    one frame per check. A frame also says whether the check's calls left a thread or a process running or
    ended the loaded process (this child's parent), and a function's last frame whether its calls changed
    state the next function would see; then this child stops, and the grader asks the rest live, each
    function in a fresh child of the loaded process, as without a plan."""
    parent = os.getppid()
    processes.become_subreaper()  # a daemon a call double-forks is re-parented here, so it is counted and killed
    channel.send(sock, {"ready": True})
    watched = _watched()
    before = _fingerprint(namespace, watched)
    helpers: dict[str, Any] = {}
    own: dict[str, Any] = {}
    for index, entry in enumerate(plan):
        function = entry["function"]
        if entry.get("first"):  # the function's first check: its building blocks come in
            helpers = _reference_helpers(entry.get("reference_helpers"))
            own = {name: namespace[name] for name in helpers if name in namespace}
            namespace.update(helpers)
        fn = namespace.get(function)
        answers, out = [], {}
        for i, call in enumerate(entry["requests"]):
            args = {name: tensors[f"{index}/{i}/{name}"] for name in call["tensors"]}
            facts, produced = probes.run(call["probe"], fn, args, call.get("params", {}))
            answers.append(facts)
            out.update({f"{i}/{name}": value for name, value in produced.items()})
        alive = os.getppid() == parent and processes.lives_on(parent)  # a SIGKILL it sent may still be on its way
        reply = {"event": "answers", "check": entry["check"], "batch": answers, "threads": _threads(),
                 "processes": processes.kill_descendants(), "parent": alive, "changed": False}
        if entry.get("last"):  # the function's last check: its building blocks go, then compare the state
            for name in helpers:
                if name in own:
                    namespace[name] = own[name]
                else:
                    namespace.pop(name, None)
            reply["changed"] = _fingerprint(namespace, watched) != before
        try:
            channel.send(sock, reply, out)
        except (ValueError, TypeError, RuntimeError) as exc:  # unserialisable facts or tensors
            channel.send(sock, {"event": "answers", "check": entry["check"], "unsendable": str(exc)[:300]})
            return
        if reply["threads"] != 1 or reply["processes"] or not reply["parent"] or reply["changed"]:
            return


def serve_check(sock: socket.socket, namespace: dict[str, Any], request: dict[str, Any]) -> None:
    """In a fresh child: answer probe calls on one function (all its checks) until the grader hangs up."""
    namespace.update(_reference_helpers(request.get("reference_helpers")))
    fn = namespace.get(request["function"])
    channel.send(sock, {"ready": True})
    while True:
        try:
            header, tensors, _ = channel.receive(sock)
        except channel.ChannelError:
            return
        if "batch" in header:  # several calls, one answer: {"batch": [facts, ...]}, tensors "<i>/<name>"
            answers, out = [], {}
            for i, call in enumerate(header["batch"]):
                args = {name: tensors[f"{i}/{name}"] for name in call["tensors"]}
                facts, produced = probes.run(call["probe"], fn, args, call.get("params", {}))
                answers.append(facts)
                out.update({f"{i}/{name}": value for name, value in produced.items()})
            reply = {"batch": answers}
        else:
            facts, out = probes.run(header["probe"], fn, tensors, header.get("params", {}))
            reply = {"facts": facts}
        reply["threads"] = _threads()  # more than one: student code left a thread running
        try:
            channel.send(sock, reply, out)
        except (ValueError, TypeError, RuntimeError) as exc:  # unserialisable facts or tensors
            channel.send(sock, {"facts": {"error": {"type": type(exc).__name__, "message": str(exc)[:500],
                                                    "where": None}}, "threads": _threads()})


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 0


def _wipe_tmp() -> None:
    """Empty the sandbox's private /tmp: nothing an earlier submission left there reaches this one."""
    for folder in ("/tmp", "/dev/shm"):
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for name in entries:
            path = os.path.join(folder, name)
            if path == "/tmp/matplotlib":  # the read-only font cache
                continue
            try:
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    os.unlink(path)
            except OSError:
                pass


def main(sock: socket.socket, output_fd: int, *, private_tmp: bool) -> None:
    """Entry point in the forked child. Never returns: the process ends with os._exit.

    `private_tmp`: /tmp belongs to the sandbox alone (bubblewrap), so it is emptied first.
    """
    if private_tmp:
        _wipe_tmp()
    os.setsid()
    processes.become_subreaper()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # reap check children and orphans automatically
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    os.close(output_fd)
    os.chdir(tempfile.mkdtemp(prefix="submission-"))
    try:
        request, _, _ = channel.receive(sock)
        _limit_memory(request["memory_mb"])
        sys.argv = [request["module_name"]]
        namespace = load(sock, request)
        gc.freeze()
        child = 0
        while True:
            header, tensors, fds = channel.receive(sock, max_fds=1)
            if header.get("op") == "sweep":  # a check ended: nothing it started may outlive it
                channel.send(sock, {"swept": True, "killed": processes.kill_descendants(keep=child)})
                continue
            processes.kill_descendants()  # the last function's child too
            child = os.fork()
            if child == 0:
                sock.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                if "plan" in header:
                    answer_plan(socket.socket(fileno=fds[0]), namespace, header["plan"], tensors)
                else:
                    serve_check(socket.socket(fileno=fds[0]), namespace, header)
                _flush_and_exit()
            os.close(fds[0])
    except BaseException:  # noqa: BLE001 - the grader reads a closed socket as "gone"
        pass
    finally:
        _flush_and_exit()


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:  # noqa: BLE001 - student code may have replaced the streams
            pass


def _flush_and_exit() -> None:
    _flush()
    os._exit(0)
