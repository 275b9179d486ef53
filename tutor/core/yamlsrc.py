"""Safe YAML loading that remembers where every key and item came from.

PyYAML's ``SafeLoader`` refuses ``!!python/...`` tags; on top of it we bound the file size, the
nesting and the size of the document after aliases are expanded (a "billion laughs" file is a
few hundred bytes that expand to gigabytes), decode strictly as UTF-8, and record the line and
column of each mapping key and sequence item so that validation errors can name them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tutor.core.errors import LessonError, Problem

MAX_BYTES = 1_000_000  # a lesson is a few kilobytes; a megabyte is surely a mistake
MAX_NODES = 200_000  # after expanding aliases
MAX_DEPTH = 64


class Located:
    """Positions of a mapping's keys or a sequence's items: ``{key_or_index: (line, col)}``."""

    __slots__ = ("here", "children")

    def __init__(self, here: tuple[int, int]):
        self.here = here
        self.children: dict[Any, tuple[tuple[int, int], Any]] = {}


_PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


class _Loader(yaml.SafeLoader):
    """SafeLoader that builds a parallel tree of positions (``Located``) beside the data."""


def _pos(mark: yaml.Mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _build(loader: _Loader, node: yaml.Node, depth: int, budget: list[int]) -> tuple[Any, Any]:
    """Construct (data, positions) for a node, counting every node visited after alias expansion."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig(node, "the document expands to too many nodes (a YAML alias bomb?)")
    if depth > MAX_DEPTH:
        raise _TooBig(node, f"nesting deeper than {MAX_DEPTH} levels")
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _PLAIN_TAGS:
        raise yaml.constructor.ConstructorError(
            None, None, f"could not determine a constructor for the tag {node.tag!r}", node.start_mark
        )
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        data: dict[Any, Any] = {}
        loc = Located(_pos(node.start_mark))
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a mapping key must be a plain value", key_node.start_mark
                ) from None
            if key in data:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            value, sub = _build(loader, value_node, depth + 1, budget)
            data[key] = value
            loc.children[key] = (_pos(key_node.start_mark), sub)
        return data, loc
    if isinstance(node, yaml.SequenceNode):
        items: list[Any] = []
        loc = Located(_pos(node.start_mark))
        for i, child in enumerate(node.value):
            value, sub = _build(loader, child, depth + 1, budget)
            items.append(value)
            loc.children[i] = (_pos(child.start_mark), sub)
        return items, loc
    return loader.construct_object(node, deep=True), None


def _check_size(root: yaml.Node) -> None:
    """Refuse documents that aliases blow up, before building anything: count the nodes of the
    expanded tree with each shared node counted once per use but visited only once."""
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, ready = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            sizes[id(node)] = 1
            continue
        if ready:
            total = 1 + sum(sizes[id(c)] for c in children)
            if total > MAX_NODES:
                raise _TooBig(node, "the document expands to too many nodes (a YAML alias bomb?)")
            sizes[id(node)] = total
        else:
            if len(stack) > 100_000:
                raise _TooBig(node, "nesting too deep")
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)


class _TooBig(Exception):
    def __init__(self, node: yaml.Node, message: str):
        self.node = node
        self.message = message


def load(path: Path | str, text: str | None = None) -> tuple[Any, Located | None]:
    """Read one YAML document from ``path``; return (data, positions) or raise LessonError."""
    path = Path(path)
    name = str(path)
    if text is None:
        try:
            size = path.stat().st_size
            if size > MAX_BYTES:
                raise LessonError([Problem(name, 1, 1, f"file is {size:,} bytes; a lesson may be at most {MAX_BYTES:,}")])
            raw = path.read_bytes()
        except OSError as exc:
            raise LessonError([Problem(name, 1, 1, f"cannot read file: {exc.strerror or exc}")]) from None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            before = raw[: exc.start]
            line = before.count(b"\n") + 1
            col = exc.start - (before.rfind(b"\n") + 1) + 1
            raise LessonError(
                [Problem(name, line, col, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8")]
            ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        loader = _Loader(text)  # PyYAML refuses control characters here, before any parsing
    except yaml.reader.ReaderError as exc:
        raise LessonError([_unprintable(name, text, exc)]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise LessonError([Problem(name, 1, 1, "the file is empty")])
        _check_size(node)
        return _build(loader, node, 0, [MAX_NODES])
    except _TooBig as exc:
        line, col = _pos(exc.node.start_mark)
        raise LessonError([Problem(name, line, col, exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark) if mark else (1, 1)
        message = exc.problem or exc.context or "invalid YAML"
        if "could not determine a constructor" in message:
            message = f"tag {message.split('tag ', 1)[-1]} is not allowed: lessons are plain data"
        else:
            message += advice(exc)
        raise LessonError([Problem(name, line, col, f"YAML: {message}")]) from None
    except yaml.YAMLError as exc:
        raise LessonError([Problem(name, 1, 1, f"YAML: {exc}")]) from None
    except RecursionError:
        raise LessonError([Problem(name, 1, 1, "nesting too deep to read")]) from None
    finally:
        loader.dispose()


_CONTROL_NAMES = {0: "a NUL byte", 8: "a backspace", 11: "a vertical tab", 12: "a form feed", 27: "an escape (ESC)",
                  127: "a delete (DEL)"}


def _unprintable(name: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    """``path:line:col`` of a character YAML does not allow (a stray form feed or ESC from a paste)."""
    pos = max(0, min(int(exc.position), len(text)))
    before = text[:pos]
    line = before.count("\n") + 1
    col = pos - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
    what = _CONTROL_NAMES.get(code, "a control character" if code < 32 or 127 <= code < 160 else "a character YAML does not allow")
    return Problem(name, line, col, f"YAML: unacceptable character #x{code:04x} ({what}); delete it "
                                    "(such characters often come from copy and paste and are invisible in most editors)")


def advice(exc: yaml.MarkedYAMLError) -> str:
    """The usual fix for a YAML error, in the words of someone writing a lesson (after a colon)."""
    problem = exc.problem or ""
    context = exc.context or ""
    if "mapping values are not allowed" in problem:
        return (": a ': ' here starts a new key. Text containing ': ' must be in quotes (\"...\") or written as a block "
                "(`key: >-`, then the text on the next lines, indented); a new key must line up with the keys above it")
    if "'\\t'" in problem or "\\t" in problem:
        return ": YAML indents with spaces only; replace the tab with spaces"
    if "sequence entries are not allowed" in problem:
        return ": a '- ' after a key on the same line is not a list item; put each item on a line of its own, or quote the text"
    if "expected ',' or" in problem and "<stream end>" in problem:
        at = f" at line {exc.context_mark.line + 1}" if exc.context_mark else ""
        return f": the [ or {{ opened{at} is never closed"
    if "expected ',' or" in problem:
        return (": inside [ ] or { }, text containing a colon, ?, #, a comma or brackets must be quoted, "
                "as in [\"Where is it?\", \"Note: this\"]")
    if "quoted scalar" in context:
        if "unknown escape" in problem:
            return (": inside double quotes a backslash starts an escape (\\f is a form feed!); "
                    "write LaTeX in single quotes ('$\\frac{a}{b}$') or in a block (|)")
        at = f" at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1}" if exc.context_mark else ""
        return f": the quote opened{at} is never closed"
    if "alias" in problem or "alias" in context or "anchor" in context:
        return ": YAML reads a value starting with * or & as a reference; put text that starts with it in quotes"
    if "that cannot start any token" in problem:
        return ": YAML reserves this character at the start of a value; put the text in quotes"
    if "expected <block end>" in problem or "did not find expected key" in problem:
        return (": the indentation does not match the lines above: the keys of one mapping, and the '- ' of the items "
                "of one list, must start in the same column")
    if "could not find expected ':'" in problem:
        return (": this line is neither `key: value` nor a list item; a text that goes on over several lines "
                "is written as a block (the key, then `|` or `>-`, then the text indented below)")
    if "did not find expected '-'" in problem:
        return ": each item of a list starts with '- ' in the same column"
    return ""


def locate(positions: Located | None, loc: tuple[Any, ...], default: tuple[int, int] = (1, 1)) -> tuple[int, int]:
    """The deepest known position along a path of keys and indexes.

    Keys that the data does not have (pydantic adds union tags such as ``'choice'`` to its paths)
    are stepped over, so a validation error lands on the nearest line that exists.
    """
    here = positions.here if positions else default
    node = positions
    for part in loc:
        if node is None:
            break
        child = node.children.get(part)
        if child is None:
            continue
        here, node = child
    return here
