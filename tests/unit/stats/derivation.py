"""The attacker's side of suppression: from a published table and its totals, which withheld
counts follow exactly? Exact rational elimination over the line equations."""

from __future__ import annotations

from fractions import Fraction

from hub.stats.suppression import Protected


def derivable(p: Protected) -> set[tuple[int, int]]:
    """The withheld counts (as grid positions; the totals row/column at index m/n) that the
    published counts determine uniquely."""
    m, n = len(p.cells), len(p.col_totals)
    grid = [list(p.cells[i]) + [p.row_totals[i]] for i in range(m)]
    grid.append(list(p.col_totals) + [p.grand])
    unknowns = [(i, j) for i in range(m + 1) for j in range(n + 1) if grid[i][j] is None]
    index = {u: k for k, u in enumerate(unknowns)}
    lines = [[(i, j, 1) for j in range(n)] + [(i, n, -1)] for i in range(m + 1)]
    lines += [[(i, j, 1) for i in range(m)] + [(m, j, -1)] for j in range(n + 1)]
    rows = []
    for line in lines:
        row = [Fraction(0)] * (len(unknowns) + 1)
        for i, j, sign in line:
            if (i, j) in index:
                row[index[(i, j)]] += sign
            else:
                row[-1] -= sign * grid[i][j]
        if any(row[:-1]):
            rows.append(row)
    pivots = _reduce(rows, len(unknowns))
    return {unknowns[col] for r, col in pivots
            if all(rows[r][k] == 0 for k in range(len(unknowns)) if k != col)}


def _reduce(rows: list[list[Fraction]], width: int) -> list[tuple[int, int]]:
    """Reduced row echelon form in place; the (row, pivot column) pairs."""
    pivots, r = [], 0
    for col in range(width):
        found = next((k for k in range(r, len(rows)) if rows[k][col] != 0), None)
        if found is None:
            continue
        rows[r], rows[found] = rows[found], rows[r]
        lead = rows[r][col]
        rows[r] = [x / lead for x in rows[r]]
        for k in range(len(rows)):
            if k != r and rows[k][col] != 0:
                factor = rows[k][col]
                rows[k] = [a - factor * b for a, b in zip(rows[k], rows[r], strict=True)]
        pivots.append((r, col))
        r += 1
    return pivots
