"""Small-cell suppression of a published table of counts.

Primary: every published count under ``THRESHOLD`` (cells, row totals, column totals, the grand
total) is withheld. Secondary: no withheld count may follow from the published ones. A table
with its row and column totals is a set of line equations (each row's cells add up to its row
total, each column's to its column total, the totals to the grand total). Seen as a bipartite
graph — a node per row and per column (the totals row and column included), an edge per
withheld count — a withheld count can be computed exactly when its edge lies on no cycle (a
bridge). So the suppression is closed in two steps, repeated until nothing changes:

1. a line with exactly one withheld count gets a second one: the smallest published count of
   that line (a cell, or the total when no cell is left);
2. a withheld count that is a bridge gets a cycle: the smallest published count linking the
   two sides the bridge separates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5

Node = tuple[str, int]
Edge = tuple[int, int]


@dataclass(frozen=True)
class Protected:
    """The table as published: withheld counts are ``None``."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    col_totals: tuple[int | None, ...]
    grand: int | None


def protect(counts: Sequence[Sequence[int]], threshold: int = THRESHOLD) -> Protected:
    """Suppress ``counts`` (m rows × n columns, non-negative) with its row and column totals."""
    m = len(counts)
    n = len(counts[0]) if m else 0
    grid = [list(row) + [sum(row)] for row in counts]
    grid.append([sum(counts[i][j] for i in range(m)) for j in range(n)] + [
        sum(sum(row) for row in counts)])
    hidden = {(i, j) for i in range(m + 1) for j in range(n + 1) if grid[i][j] < threshold}
    while _close_lines(grid, hidden) or _close_bridges(grid, hidden):
        pass
    shown = [[None if (i, j) in hidden else grid[i][j] for j in range(n + 1)]
             for i in range(m + 1)]
    return Protected(cells=tuple(tuple(row[:n]) for row in shown[:m]),
                     row_totals=tuple(row[n] for row in shown[:m]),
                     col_totals=tuple(shown[m][:n]), grand=shown[m][n])


def protect_column(values: Sequence[int], threshold: int = THRESHOLD,
                   ) -> tuple[tuple[int | None, ...], int | None]:
    """One column with its total (a column of a table whose columns do not add up)."""
    protected = protect([[v] for v in values], threshold)
    return tuple(row[0] for row in protected.cells), protected.grand


def _lines(m: int, n: int) -> list[list[Edge]]:
    return ([[(i, j) for j in range(n + 1)] for i in range(m + 1)]
            + [[(i, j) for i in range(m + 1)] for j in range(n + 1)])


def _close_lines(grid: list[list[int]], hidden: set[Edge]) -> bool:
    """Step 1: give every line holding exactly one withheld count a second one."""
    m, n = len(grid) - 1, len(grid[0]) - 1
    changed = False
    for line in _lines(m, n):
        shown = [e for e in line if e not in hidden]
        if len(line) - len(shown) == 1 and shown:
            hidden.add(min(shown, key=lambda e: (grid[e[0]][e[1]], e)))
            changed = True
    return changed


def _reach(start: Node, edges: set[Edge]) -> set[Node]:
    adjacent: dict[Node, list[Node]] = {}
    for i, j in edges:
        adjacent.setdefault(("r", i), []).append(("c", j))
        adjacent.setdefault(("c", j), []).append(("r", i))
    seen, todo = {start}, [start]
    while todo:
        for nxt in adjacent.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def _close_bridges(grid: list[list[int]], hidden: set[Edge]) -> bool:
    """Step 2: put the first withheld count that is a bridge on a cycle."""
    m, n = len(grid) - 1, len(grid[0]) - 1
    for edge in sorted(hidden):
        rest = hidden - {edge}
        side_a = _reach(("r", edge[0]), rest)
        if ("c", edge[1]) in side_a:
            continue
        side_b = _reach(("c", edge[1]), rest)
        links = [(i, j) for i in range(m + 1) for j in range(n + 1) if (i, j) not in hidden
                 and ((("r", i) in side_a and ("c", j) in side_b)
                      or (("r", i) in side_b and ("c", j) in side_a))]
        if not links:  # cannot happen once step 1 closed every line; withhold everything
            everything = {(i, j) for i in range(m + 1) for j in range(n + 1)}
            changed = everything != hidden
            hidden |= everything
            return changed
        hidden.add(min(links, key=lambda e: (grid[e[0]][e[1]], e)))
        return True
    return False
