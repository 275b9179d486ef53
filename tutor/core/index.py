"""A small cache of what the catalog shows (ids, titles, levels, problems), so that the app's
first frame needs neither YAML parsing nor pydantic.

The cache is keyed by the tutor's version and every file's path, size and modification time; if
anything differs it is rebuilt from a full load (``tutor.core.loader.catalog``), so it is never
stale. It lives in TUTOR_HOME and may be deleted at any time.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from tutor import __version__
from tutor.core.paths import SUFFIXES


# NamedTuples rather than dataclasses: this module is on the start-up path, where defining a
# dataclass costs about 0.3 ms (its methods are compiled when the module loads)
class LessonInfo(NamedTuple):
    id: str
    title: str
    path: str
    level: int = 1
    minutes: int = 10
    summary: str = ""
    tags: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()


class BrokenInfo(NamedTuple):
    path: str
    id: str | None
    problems: tuple[str, ...]


class Index(NamedTuple):
    lessons: list[LessonInfo]
    broken: list[BrokenInfo]
    quizzes: list[str]

    def ordered(self) -> list[LessonInfo]:
        return sorted(self.lessons, key=lambda x: (x.level, Path(x.path).name, x.id))

    def get(self, ident: str) -> LessonInfo | None:
        return next((x for x in self.lessons if x.id == ident), None)


def _files(dirs: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for d in dirs:
        if d.is_dir():
            for root, _, names in os.walk(d):
                out += [Path(root) / n for n in names if n.endswith(SUFFIXES)]
        elif d.is_file():
            out.append(d)
    return sorted(out)


def _stamp(files: list[Path]) -> list[list[Any]]:
    stamp = []
    for f in files:
        try:
            st = f.stat()
            stamp.append([str(f), st.st_size, st.st_mtime_ns])
        except OSError:
            stamp.append([str(f), -1, -1])
    return stamp


def cache_path(home: Path) -> Path:
    return home / "catalog-cache.json"


def cached(dirs: Sequence[Path], home: Path) -> Index | None:
    """The index from the cache, or None when any file changed (or there is no cache)."""
    try:
        data = json.loads(cache_path(home).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("version") != __version__ or data.get("stamp") != _stamp(_files(list(dirs))):
        return None
    try:
        lessons = [LessonInfo(**{**x, "tags": tuple(x.get("tags", ())), "requires": tuple(x.get("requires", ()))}) for x in data["lessons"]]
        broken = [BrokenInfo(**{**x, "problems": tuple(x["problems"])}) for x in data["broken"]]
        return Index(lessons, broken, list(data["quizzes"]))
    except (KeyError, TypeError):
        return None


def from_catalog(cat: Any) -> Index:
    lessons = []
    for f in cat.lessons.values():
        les = f.lesson
        lessons.append(LessonInfo(les.id, les.title, str(f.path), les.level, les.minutes, les.summary, tuple(les.tags), tuple(les.requires)))
    broken = [BrokenInfo(str(f.path), f.id, tuple(str(p) for p in f.problems)) for f in cat.broken]
    return Index(lessons, broken, sorted(cat.quizzes))


def build(dirs: Sequence[Path], home: Path) -> tuple[Index, Any]:
    """Load everything (YAML, pydantic), and write the cache for next time."""
    from tutor.core.loader import catalog

    cat = catalog(list(dirs))
    index = from_catalog(cat)
    try:
        home.mkdir(parents=True, exist_ok=True)
        payload = {"version": __version__, "stamp": _stamp(_files(list(dirs))), "lessons": [x._asdict() for x in index.lessons],
                   "broken": [x._asdict() for x in index.broken], "quizzes": index.quizzes}
        tmp = cache_path(home).with_suffix(".tmp")
        tmp.write_text(json.dumps(payload), encoding="utf-8")
        tmp.replace(cache_path(home))
    except OSError:
        pass
    return index, cat
