"""Small-cell suppression: every count under 5 is withheld, and no withheld count can be
computed back from what is published (rows, columns and their totals)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from hub.stats.suppression import THRESHOLD, protect, protect_column
from tests.unit.stats.derivation import derivable


def _published(p):  # noqa: ANN001, ANN202
    grid = [list(p.cells[i]) + [p.row_totals[i]] for i in range(len(p.cells))]
    return grid + [list(p.col_totals) + [p.grand]]


def test_a_table_without_small_cells_is_published_whole():
    p = protect([[10, 20], [30, 40]])
    assert p.cells == ((10, 20), (30, 40))
    assert p.row_totals == (30, 70) and p.col_totals == (40, 60) and p.grand == 100


def test_one_small_cell_takes_the_next_smallest_of_its_row_and_column_with_it():
    p = protect([[3, 20, 30], [10, 40, 50], [12, 60, 70]])
    assert p.cells[0][0] is None
    assert p.cells[0][1] is None  # the next-smallest of its row
    assert p.cells[1][0] is None  # the next-smallest of its column
    assert p.cells[1][1] is None  # closes the rectangle, else 40 would follow
    assert derivable(p) == set()


def test_the_derivation_check_finds_a_cell_left_alone_in_its_row():
    from hub.stats.suppression import Protected
    naive = Protected(cells=((None, 20), (30, 40)), row_totals=(23, 70), col_totals=(33, 60),
                      grand=93)
    assert derivable(naive) == {(0, 0)}


def test_a_small_row_total_is_withheld_with_its_cells():
    p = protect([[2, 1], [30, 40]])
    assert p.row_totals[0] is None
    assert p.cells[0] == (None, None)
    assert derivable(p) == set()


def test_a_single_column_hides_a_second_cell_beside_a_small_one():
    cells, total = protect_column([3, 50, 60])
    assert cells == (None, None, 60) and total == 113


def test_a_column_whose_only_cell_is_small_hides_its_total_too():
    assert protect_column([4]) == ((None,), None)


def test_an_empty_table_has_no_cells_and_no_total():
    assert protect_column([]) == ((), None)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5).flatmap(lambda rows: st.lists(
    st.lists(st.integers(0, 30), min_size=rows, max_size=rows), min_size=1, max_size=5)))
def test_no_withheld_count_follows_from_a_published_table(columns):
    counts = [list(row) for row in zip(*columns, strict=True)]
    p = protect(counts)
    grid = _published(p)
    full = [row + [sum(row)] for row in counts]
    full.append([sum(c) for c in zip(*full, strict=True)])
    for i, row in enumerate(grid):
        for j, shown in enumerate(row):
            assert shown is None or shown == full[i][j]  # published counts are true
            assert shown is None or shown >= THRESHOLD  # and none is small
    assert derivable(p) == set()
