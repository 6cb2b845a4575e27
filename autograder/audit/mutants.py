"""Mutants of the reference: each one small AST edit of one function, the kind of slip students make.

A mutant's id is `<function>.<operator>.<index>`: the index counts that operator's edits in the
function in a fixed walk order, so the same reference always gives the same ids (the explanations
table and reports key on them). Mutating the reference's own source with `ast` keeps this small and
exact; mutation tools such as mutmut or cosmic-ray mutate a package under its own test suite, which
is not what is graded here (a submission file, by a grader that runs it in a sandbox).
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Context:
    """Where a node is: its function and the node it belongs to."""

    fn: ast.FunctionDef
    parent: ast.AST | None


Rewrite = Callable[[ast.AST, Context], list[ast.AST]]  # the edited copies of one node (none: not a site)
# The edited copies of one statement list, each with what was edited (for people) and its line.
StatementEdit = tuple[list[ast.stmt], str, int]
StatementRewrite = Callable[[list[ast.stmt], int, ast.FunctionDef], list[StatementEdit]]


@dataclass(frozen=True)
class Mutant:
    function: str
    operator: str
    index: int
    source: str  # the mutated function, as source
    change: str  # what was edited, "before → after", for people
    line: int  # where, in the assignment's reference

    @property
    def id(self) -> str:
        return f"{self.function}.{self.operator}.{self.index}"


# --- expression edits -------------------------------------------------------------------------

_ARITHMETIC: dict[type, type] = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
                                 ast.Pow: ast.Mult, ast.MatMult: ast.Mult}
_COMPARISONS: dict[type, type] = {ast.GtE: ast.Gt, ast.Gt: ast.GtE, ast.LtE: ast.Lt, ast.Lt: ast.LtE,
                                  ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
_API = {"ones_like": "zeros_like", "zeros_like": "ones_like", "float32": "float64", "float64": "float32"}
_KEYWORDS = {"min": "max", "max": "min"}


def _edited(node: ast.AST, **fields: object) -> ast.AST:
    new = copy.deepcopy(node)
    for name, value in fields.items():
        setattr(new, name, value)
    return new


def arithmetic(node: ast.AST, _: Context) -> list[ast.AST]:
    """`+` ↔ `-`, `*` ↔ `/`, `**` and `@` → `*`, also in `-=`."""
    if isinstance(node, ast.BinOp | ast.AugAssign) and type(node.op) in _ARITHMETIC:
        return [_edited(node, op=_ARITHMETIC[type(node.op)]())]
    return []


def sign(node: ast.AST, _: Context) -> list[ast.AST]:
    """A minus sign dropped: `-x` → `x`."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return [copy.deepcopy(node.operand)]
    return []


def comparison(node: ast.AST, _: Context) -> list[ast.AST]:
    """`>=` ↔ `>`, `<=` ↔ `<`, `==` ↔ `!=`."""
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _COMPARISONS:
        return [_edited(node, ops=[_COMPARISONS[type(node.ops[0])]()])]
    return []


def sum_mean(node: ast.AST, _: Context) -> list[ast.AST]:
    """`mean` ↔ `sum` (torch.mean, x.mean())."""
    if isinstance(node, ast.Attribute) and node.attr in ("mean", "sum"):
        return [_edited(node, attr="sum" if node.attr == "mean" else "mean")]
    return []


def api(node: ast.AST, _: Context) -> list[ast.AST]:
    """A neighbouring name: ones_like ↔ zeros_like, float32 ↔ float64, clamp(min=) ↔ clamp(max=)."""
    if isinstance(node, ast.Attribute) and node.attr in _API:
        return [_edited(node, attr=_API[node.attr])]
    if isinstance(node, ast.keyword) and node.arg in _KEYWORDS:
        return [_edited(node, arg=_KEYWORDS[node.arg])]
    return []


def constant(node: ast.AST, _: Context) -> list[ast.AST]:
    """A number changed (int + 1, float × 2, 0.0 → 1.0), True ↔ False; also in defaults."""
    if not isinstance(node, ast.Constant):
        return []
    value = node.value
    if isinstance(value, bool):
        return [ast.Constant(not value)]
    if isinstance(value, int):
        return [ast.Constant(value + 1)]
    if isinstance(value, float):
        return [ast.Constant(value * 2 if value else 1.0)]
    return []


def loop_count(node: ast.AST, _: Context) -> list[ast.AST]:
    """Off by one: `range(n)` → `range(n - 1)` and `range(n + 1)`."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range" \
            and len(node.args) == 1:
        return [_edited(node, args=[ast.BinOp(copy.deepcopy(node.args[0]), op(), ast.Constant(1))])
                for op in (ast.Sub, ast.Add)]
    return []


def swapped_arguments(node: ast.AST, _: Context) -> list[ast.AST]:
    """Two neighbouring positional arguments, or list items, swapped: f(a, b) → f(b, a), [a, b] → [b, a]."""
    if isinstance(node, ast.Call):
        field = "args"
    elif isinstance(node, ast.List | ast.Tuple) and isinstance(node.ctx, ast.Load):
        field = "elts"
    else:
        return []
    items = getattr(node, field)
    variants = []
    for i in range(len(items) - 1):
        if ast.dump(items[i]) == ast.dump(items[i + 1]) or any(isinstance(a, ast.Starred) for a in items[i:i + 2]):
            continue
        swapped = list(items)
        swapped[i], swapped[i + 1] = swapped[i + 1], swapped[i]
        variants.append(_edited(node, **{field: [copy.deepcopy(a) for a in swapped]}))
    return variants


def not_in_place(node: ast.AST, _: Context) -> list[ast.AST]:
    """An in-place step made a rebinding: `p -= alpha * p.grad` → `p = p - alpha * p.grad`."""
    if isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Name):
        target = node.target
        value = ast.BinOp(ast.Name(target.id, ast.Load()), copy.deepcopy(node.op), copy.deepcopy(node.value))
        return [ast.Assign([ast.Name(target.id, ast.Store())], value, lineno=node.lineno)]
    return []


def _defaults(fn: ast.FunctionDef) -> dict[str, ast.expr]:
    args = fn.args
    positional = args.posonlyargs + args.args
    found = {a.arg: d for a, d in zip(positional[len(positional) - len(args.defaults):], args.defaults)}
    found.update({a.arg: d for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None})
    return found


def ignored_argument(node: ast.AST, context: Context) -> list[ast.AST]:
    """An argument ignored for its default: `lr=lr` → `lr=0.1`, `range(epochs)` → `range(100)`."""
    defaults = _defaults(context.fn)
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in defaults:
        return [copy.deepcopy(defaults[node.id])]
    return []


def _is_module(node: ast.AST) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id in ("torch", "np", "numpy", "math")


def dropped_method(node: ast.AST, context: Context) -> list[ast.AST]:
    """A method call left out of a chain: `x.reshape(-1, 1).to(torch.float32)` → `x.reshape(-1, 1)`.
    Not a call that is a statement of its own (that is `dropped_statement`), nor a module's function."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and not _is_module(node.func.value) \
            and not isinstance(context.parent, ast.Expr):
        return [copy.deepcopy(node.func.value)]
    return []


# --- statement edits --------------------------------------------------------------------------

def _parameters(fn: ast.FunctionDef) -> set[str]:
    args = fn.args
    return {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}


def _droppable(statement: ast.stmt, fn: ast.FunctionDef) -> bool:
    """A statement whose removal leaves a function that still runs: a call, an in-place step, a
    rebinding of a parameter or an attribute (`p.grad = None`). Not a new local, which would only
    give a NameError."""
    if isinstance(statement, ast.Expr | ast.AugAssign):
        return True
    if isinstance(statement, ast.Assign):
        return all(isinstance(t, ast.Attribute | ast.Subscript) or (isinstance(t, ast.Name) and t.id in
                   _parameters(fn)) for t in statement.targets)
    return False


def _head(statement: ast.AST) -> str:
    """The first line of a statement, as code."""
    return ast.unparse(statement).splitlines()[0]


def dropped_statement(body: list[ast.stmt], start: int, fn: ast.FunctionDef) -> list[StatementEdit]:
    """A statement left out: `optimizer.zero_grad()`, `torch.manual_seed(seed)`, `p.grad = None`..."""
    return [(body[:i] + body[i + 1:], f"`{_head(body[i])}` removed", body[i].lineno)
            for i in range(start, len(body)) if _droppable(body[i], fn)]


def _bound(statement: ast.stmt) -> set[str]:
    targets = statement.targets if isinstance(statement, ast.Assign) else \
        [statement.target] if isinstance(statement, ast.For | ast.AugAssign | ast.AnnAssign) else []
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def _read(statement: ast.stmt) -> set[str]:
    return {n.id for n in ast.walk(statement) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def reordered_statements(body: list[ast.stmt], start: int, fn: ast.FunctionDef) -> list[StatementEdit]:
    """Two neighbouring statements swapped: `zero_grad()` before `step()`, the seed after the layer.
    Not when the second reads a name the first binds: that is only a NameError."""
    return [(body[:i] + [body[i + 1], body[i]] + body[i + 2:],
             f"`{_head(body[i + 1])}` moved before `{_head(body[i])}`", body[i + 1].lineno)
            for i in range(start, len(body) - 1)
            if not isinstance(body[i + 1], ast.Return) and not _bound(body[i]) & _read(body[i + 1])]


def unwrapped_block(body: list[ast.stmt], start: int, fn: ast.FunctionDef) -> list[StatementEdit]:
    """A `with` block's body run without it: `with torch.no_grad():` forgotten."""
    return [(body[:i] + body[i].body + body[i + 1:], f"`{_head(body[i])}` left out (its body kept)", body[i].lineno)
            for i in range(start, len(body)) if isinstance(body[i], ast.With)]


EXPRESSION_OPERATORS: dict[str, Rewrite] = {
    "arithmetic": arithmetic, "sign": sign, "comparison": comparison, "sum_mean": sum_mean, "api": api,
    "constant": constant, "loop_count": loop_count, "swapped_arguments": swapped_arguments,
    "ignored_argument": ignored_argument, "dropped_method": dropped_method, "not_in_place": not_in_place,
}
STATEMENT_OPERATORS: dict[str, StatementRewrite] = {
    "dropped_statement": dropped_statement, "reordered_statements": reordered_statements,
    "unwrapped_block": unwrapped_block,
}
OPERATORS = (*EXPRESSION_OPERATORS, *STATEMENT_OPERATORS)


# --- applying one edit ------------------------------------------------------------------------

def _docstring_count(fn: ast.FunctionDef) -> int:
    first = fn.body[0]
    is_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
        and isinstance(first.value.value, str)
    return int(is_docstring)


class _ExpressionEdit(ast.NodeTransformer):
    """Replaces the `target`-th site of `rewrite` (pre-order) in the body and defaults; with target -1
    it only counts sites. Annotations and the docstring are not code that runs, so they are skipped."""

    def __init__(self, rewrite: Rewrite, fn: ast.FunctionDef, target: int) -> None:
        self.rewrite, self.fn, self.target, self.seen = rewrite, fn, target, 0
        self.parents: list[ast.AST] = []
        self.where = ""  # the statement being visited, to say where an edit is
        self.change = ""
        self.line = 0

    def visit(self, node: ast.AST) -> ast.AST:
        if isinstance(node, ast.stmt):
            self.where = _head(node)
        for variant in self.rewrite(node, Context(self.fn, self.parents[-1] if self.parents else None)):
            if self.seen == self.target:
                self.seen += 1
                self.change = f"`{ast.unparse(node)}` → `{ast.unparse(variant)}` in `{self.where}`"
                self.line = node.lineno
                return variant
            self.seen += 1
        self.parents.append(node)
        try:
            return super().visit(node)
        finally:
            self.parents.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        arguments = node.args
        self.where = "the defaults: " + ast.unparse(ast.arguments(
            posonlyargs=[], args=[], vararg=None, kwonlyargs=arguments.kwonlyargs, kw_defaults=arguments.kw_defaults,
            kwarg=None, defaults=[]))
        arguments.defaults = [self.visit(d) for d in arguments.defaults]
        arguments.kw_defaults = [self.visit(d) if d is not None else None for d in arguments.kw_defaults]
        start = _docstring_count(node)
        node.body[start:] = [self.visit(s) for s in node.body[start:]]
        return node


def _statement_edit(fn: ast.FunctionDef, rewrite: StatementRewrite, target: int) -> tuple[int, str, int]:
    """Apply the `target`-th edit of `rewrite` to the statement lists of `fn`: the number of sites seen,
    what was edited and where."""
    seen = 0
    for node in ast.walk(fn):
        for field in ("body", "orelse"):
            body = getattr(node, field, None)
            if not isinstance(body, list) or not body or not isinstance(body[0], ast.stmt):
                continue
            start = _docstring_count(fn) if node is fn else 0
            for variant, change, line in rewrite(body, start, fn):
                if seen == target:
                    setattr(node, field, variant or [ast.Pass()])
                    return seen + 1, change, line
                seen += 1
    return seen, "", 0


def _edit(fn: ast.FunctionDef, operator: str, target: int) -> tuple[ast.FunctionDef, int, str, int]:
    """A copy of `fn` with the target-th edit applied, the number of sites seen, what was edited and where."""
    edited = copy.deepcopy(fn)
    if operator in EXPRESSION_OPERATORS:
        editor = _ExpressionEdit(EXPRESSION_OPERATORS[operator], edited, target)
        editor.visit(edited)
        seen, change, line = editor.seen, editor.change, editor.line
    else:
        seen, change, line = _statement_edit(edited, STATEMENT_OPERATORS[operator], target)
    return ast.fix_missing_locations(edited), seen, change, line


def reference_functions(source: str, functions: tuple[str, ...]) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(source)
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name in functions}


def generate(functions: tuple[str, ...], source: str, operators: tuple[str, ...] = OPERATORS) -> list[Mutant]:
    """Every mutant of the named functions of the reference `source`, in a fixed order; edits that
    change nothing, or give the same code as an earlier mutant, are left out (their index is still
    used up, so ids stay put)."""
    found = reference_functions(source, functions)
    mutants: list[Mutant] = []
    for function in functions:
        original = ast.unparse(found[function])
        seen_sources = {original}
        for operator in operators:
            _, count, _, _ = _edit(found[function], operator, -1)
            for index in range(count):
                edited, _, change, line = _edit(found[function], operator, index)
                text = ast.unparse(edited)
                if text in seen_sources:
                    continue
                seen_sources.add(text)
                mutants.append(Mutant(function, operator, index, text, change, line))
    return mutants


def submission(mutants: list[Mutant], source: str) -> str:
    """The reference module with each given function replaced by its mutant (at most one per function)."""
    tree = ast.parse(source)
    replaced = {m.function: ast.parse(m.source).body[0] for m in mutants}
    if len(replaced) != len(mutants):
        raise ValueError("at most one mutant per function in one submission")
    tree.body = [replaced.get(n.name, n) if isinstance(n, ast.FunctionDef) else n for n in tree.body]
    return ast.unparse(tree) + "\n"


def by_function(mutants: list[Mutant], functions: tuple[str, ...]) -> Iterator[tuple[str, list[Mutant]]]:
    for function in functions:
        yield function, [m for m in mutants if m.function == function]
