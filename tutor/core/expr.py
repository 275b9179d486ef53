"""Safe evaluation of what learners and authors type: numbers, formulas and conditions.

Built on ``simpleeval``; before anything is evaluated, the parsed tree is checked against a short
list of allowed nodes (numbers, names, arithmetic, comparisons, calls of known functions), its size
is bounded, and every literal becomes a float, so ``9**9**9`` overflows at once instead of building
a huge integer. No attribute access, no imports, no strings.
"""

from __future__ import annotations

import ast
import math
import operator as op
import re
import warnings
from collections.abc import Callable, Mapping
from typing import Any

from simpleeval import SimpleEval

from tutor.core.errors import ExpressionError

MAX_CHARS = 400
MAX_NODES = 200
MAX_MAGNITUDE = 1e300

_REPLACEMENTS = {"−": "-", "–": "-", "×": "*", "·": "*", "÷": "/", "π": "pi", "√": "sqrt", "^": "**", "²": "**2", "³": "**3"}

_ARITH: dict[type[ast.AST], Callable[..., Any]] = {
    ast.Add: op.add,
    ast.Sub: op.sub,
    ast.Mult: op.mul,
    ast.Div: op.truediv,
    ast.USub: op.neg,
    ast.UAdd: op.pos,
}
_COMPARE: dict[type[ast.AST], Callable[..., Any]] = {
    ast.Eq: op.eq,
    ast.NotEq: op.ne,
    ast.Gt: op.gt,
    ast.Lt: op.lt,
    ast.GtE: op.ge,
    ast.LtE: op.le,
    ast.Not: op.not_,
}


def _power(a: Any, b: Any) -> Any:
    result = a**b
    if isinstance(result, complex):  # a negative number to a fractional power: (-1)**0.5
        raise ExpressionError("a negative number to a fractional power has no real value")
    return result


def _log(x: float, base: float | None = None) -> float:
    return math.log(x) if base is None else math.log(x, base)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


SCALAR_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "sqrt": math.sqrt,
    "ln": math.log,
    "log": _log,
    "log10": math.log10,
    "log2": math.log2,
    "exp": math.exp,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "tanh": math.tanh,
    "atan": math.atan,
    "abs": abs,
    "sigmoid": _sigmoid,
}
CONSTANTS = {"pi": math.pi, "e": math.e, "inf": math.inf}


class _Evaluator(SimpleEval):
    """simpleeval with only the nodes we allow; dotted names look up keys of mappings."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]], names: Mapping[str, Any], conditions: bool):
        operators = dict(_ARITH)
        operators[ast.Pow] = _power
        if conditions:
            operators.update(_COMPARE)
        super().__init__(operators=operators, functions=dict(functions), names=dict(names))
        self.nodes = {
            ast.Expr: self._eval_expr,
            ast.Name: self._eval_name,
            ast.UnaryOp: self._eval_unaryop,
            ast.BinOp: self._eval_binop,
            ast.Call: self._eval_call,
            ast.Constant: self._eval_constant,
        }
        if conditions:
            self.nodes.update(
                {
                    ast.BoolOp: self._eval_boolop,
                    ast.Compare: self._eval_compare,
                    ast.Subscript: self._eval_subscript,
                    ast.Attribute: self._eval_key,
                }
            )

    def _eval_constant(self, node: ast.Constant) -> Any:
        value = node.value
        if isinstance(value, (str, bool)):
            return value
        if isinstance(value, (int, float)):
            return float(value)
        raise ExpressionError("only numbers may be written literally")

    def _eval_key(self, node: ast.Attribute) -> Any:
        base = self._eval(node.value)
        if isinstance(base, Mapping) and node.attr in base:
            return base[node.attr]
        raise ExpressionError(f"no value named {node.attr!r} here")

    def _eval_subscript(self, node: ast.Subscript) -> Any:
        base = self._eval(node.value)
        index = self._eval(node.slice)
        try:
            if isinstance(base, Mapping):
                return base[index]
            return base[int(index)]
        except (IndexError, KeyError, TypeError, ValueError):
            raise ExpressionError(f"index {index!r} is out of range") from None


def normalize(text: str) -> str:
    """Friendly spellings a learner might type: ``2^3``, ``−1``, ``π``, ``√2``, ``3×4``."""
    for a, b in _REPLACEMENTS.items():
        text = text.replace(a, b)
    return re.sub(r"sqrt(\d+(?:\.\d+)?)", r"sqrt(\1)", text)


class Expression:
    """A parsed, checked formula. Evaluate it with ``value(**names)``."""

    def __init__(
        self,
        text: str,
        *,
        variables: tuple[str, ...] = (),
        functions: Mapping[str, Callable[..., Any]] = SCALAR_FUNCTIONS,
        constants: Mapping[str, Any] = CONSTANTS,
        conditions: bool = False,
        max_chars: int = MAX_CHARS,
        free_names: bool = False,
    ):
        if not isinstance(text, str):
            text = str(text)
        if len(text) > max_chars:
            raise ExpressionError(f"too long ({len(text)} characters; at most {max_chars})")
        if not text.strip():
            raise ExpressionError("empty")
        self.text = text
        source = normalize(text.strip())
        try:
            with warnings.catch_warnings():  # "1or 2" warns on stderr, which would tear the app's screen
                warnings.simplefilter("ignore")
                tree = ast.parse(source, mode="eval")
        except SyntaxError:
            raise ExpressionError(f"can't read {text.strip()!r} as a formula") from None
        except (RecursionError, MemoryError, ValueError):
            raise ExpressionError("nested too deeply") from None
        self.functions = functions
        self.constants = constants
        self.conditions = conditions
        allowed_names = set(variables) | set(constants)
        nodes = 0
        for node in ast.walk(tree):
            nodes += 1
            if nodes > MAX_NODES:
                raise ExpressionError(f"too long (more than {MAX_NODES} parts)")
            self._check(node, allowed_names, free_names)
        called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        for n in ast.walk(tree):
            if isinstance(n, ast.Name) and n.id in functions and id(n) not in called and n.id not in allowed_names:
                raise ExpressionError(f"{n.id} is a function: give it a value in parentheses, as in {n.id}(2)")
        self.tree = tree
        self._run: Callable[[Mapping[str, Any]], Any] | None = None
        self.names = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - set(functions))

    def _check(self, node: ast.AST, names: set[str], free_names: bool) -> None:
        if isinstance(node, (ast.Expression, ast.Load)) or type(node) in _ARITH or type(node) is ast.Pow:
            return
        if isinstance(node, (ast.BinOp, ast.UnaryOp)):
            if type(node.op) in _ARITH or type(node.op) is ast.Pow or (self.conditions and type(node.op) is ast.Not):
                return
            raise ExpressionError(f"the operator {_symbol(node.op)} is not allowed")
        if isinstance(node, ast.Constant):
            if isinstance(node.value, (int, float)) and not isinstance(node.value, bool) or (
                self.conditions and isinstance(node.value, (bool, str)) and len(str(node.value)) <= 64
            ):
                return
            raise ExpressionError("only numbers may be written literally")
        if isinstance(node, ast.Name):
            if node.id in names or node.id in self.functions or free_names:
                return
            variables = sorted(set(names) - set(self.constants))
            if not variables:
                raise ExpressionError(f"{node.id!r} is not a number")
            raise ExpressionError(f"unknown name {node.id!r} (use {', '.join(variables)})")
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name):
                raise ExpressionError("write * for multiplication, as in 2*(x+1)")
            if node.func.id not in self.functions:
                raise ExpressionError(
                    f"unknown function {node.func.id!r}; known: {', '.join(sorted(self.functions))}"
                )
            if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
                raise ExpressionError("functions take plain arguments only")
            return
        if self.conditions:
            if isinstance(node, (ast.BoolOp, ast.Compare, ast.And, ast.Or, ast.Not)) or type(node) in _COMPARE:
                return
            if isinstance(node, (ast.Attribute, ast.Subscript)):
                if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
                    raise ExpressionError("names starting with _ are not allowed")
                return
        if isinstance(node, ast.Tuple):
            raise ExpressionError("that is several values; one is wanted here")
        raise ExpressionError(f"{type(node).__name__.lower()} is not allowed in a formula")

    def value(self, **names: Any) -> Any:
        if not self.conditions:
            if self._run is None:
                self._run = _closure(self.tree.body, self.functions)
            try:
                return self._run({**self.constants, **names})
            except Exception:  # let the evaluator raise its own, worded error (or find the value)
                pass
        return self._evaluate(names)

    def _evaluate(self, names: Mapping[str, Any]) -> Any:
        evaluator = _Evaluator(self.functions, {**self.constants, **names}, self.conditions)
        try:
            return evaluator.eval(self.text, previously_parsed=self.tree.body)
        except ExpressionError:
            raise
        except OverflowError:
            raise ExpressionError("the result is too large") from None
        except ZeroDivisionError:
            raise ExpressionError("division by zero") from None
        except ValueError as exc:
            raise ExpressionError(f"not defined there ({exc})") from None
        except TypeError as exc:
            raise ExpressionError(f"wrong use of a function ({exc})") from None
        except RecursionError:
            raise ExpressionError("nested too deeply") from None
        except Exception as exc:  # simpleeval's own errors: NameNotDefined, FunctionNotDefined, ...
            raise ExpressionError(str(exc)) from None


def _closure(node: ast.AST, functions: Mapping[str, Callable[..., Any]]) -> Callable[[Mapping[str, Any]], Any]:
    """The checked tree of an arithmetic expression as nested closures: the same operations, in
    the same order, on the same operands as the evaluator, without its walk over the tree on every
    call (a descent evaluates a formula thousands of times). Only the nodes ``_check`` lets
    through for arithmetic can occur; anything else is refused here too."""
    if isinstance(node, ast.Constant):
        c = float(node.value)  # type: ignore[arg-type]  # _check let numbers through only
        return lambda env: c
    if isinstance(node, ast.Name):
        name = node.id
        return lambda env: env[name]
    if isinstance(node, ast.BinOp):
        f2: Callable[[Any, Any], Any] = _power if type(node.op) is ast.Pow else _ARITH[type(node.op)]
        left, right = _closure(node.left, functions), _closure(node.right, functions)
        return lambda env: f2(left(env), right(env))
    if isinstance(node, ast.UnaryOp):
        f1: Callable[[Any], Any] = _ARITH[type(node.op)]
        arg = _closure(node.operand, functions)
        return lambda env: f1(arg(env))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords:
        fn = functions[node.func.id]
        args = [_closure(a, functions) for a in node.args]
        if len(args) == 1:
            a0 = args[0]
            return lambda env: fn(a0(env))
        return lambda env: fn(*[a(env) for a in args])
    raise ExpressionError(f"{type(node).__name__.lower()} is not allowed in a formula")


def _symbol(operator: ast.AST) -> str:
    symbols: dict[type[ast.AST], str] = {ast.BitXor: "^", ast.Mod: "%", ast.FloorDiv: "//", ast.BitAnd: "&", ast.BitOr: "|"}
    return symbols.get(type(operator), type(operator).__name__)


def number(text: str) -> float:
    """A single number from a learner: ``0.5``, ``sqrt(2)/2``, ``ln(2)``, ``-1e-3``, ``2/3``."""
    result = Expression(text).value()
    return _finite(result, text)


def _finite(result: Any, text: str) -> float:
    try:
        x = float(result)
    except (TypeError, ValueError):
        raise ExpressionError(f"{text.strip()!r} is not a number") from None
    if math.isnan(x):
        raise ExpressionError("the result is not a number (NaN)")
    if abs(x) > MAX_MAGNITUDE:
        raise ExpressionError("the result is too large")
    return x


def split_list(text: str) -> list[str]:
    """Split on commas or semicolons that are not inside parentheses."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch in ",;" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p for p in (s.strip() for s in parts) if p]


def numbers(text: str) -> list[float]:
    """A list of numbers, separated by commas: ``-1, 1`` or ``±sqrt(2)`` (± gives both signs)."""
    if len(text) > MAX_CHARS * 4:
        raise ExpressionError("too long")
    values: list[float] = []
    for part in split_list(text.strip().strip("{}[]")):
        if part.startswith(("±", "+-", "+/-")):
            body = part.lstrip("±+-/")
            x = number(body)
            values.extend([-x, x])
        else:
            values.append(number(part))
    if not values:
        raise ExpressionError("no numbers given")
    return values


def over_values(text: str, values: Mapping[str, Any]) -> Any:
    """An author's formula over experiment values, such as ``2 / points[0].eigenvalues[0]`` or
    ``barrier > 0 and counts.saddle >= 1``: arithmetic, comparisons, ``and``/``or``/``not``,
    indexes and keys, ``len``, ``min``, ``max``, ``abs``, ``sum``."""
    expr = Expression(text, conditions=True, free_names=True,
                      functions={**SCALAR_FUNCTIONS, "len": len, "min": min, "max": max, "sum": sum}, max_chars=400)
    missing = [n for n in expr.names if n not in values and n not in CONSTANTS]
    if missing:
        raise ExpressionError(f"the experiment has no value named {missing[0]!r}; it has {', '.join(sorted(values))}")
    return expr.value(**values)


def condition(text: str, values: Mapping[str, Any]) -> bool:
    """An author's condition such as ``barrier > 0 and counts.saddle >= 1`` over experiment values."""
    return bool(over_values(text, values))
