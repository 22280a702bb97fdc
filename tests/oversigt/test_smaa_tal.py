"""Small-cell suppression: counts of 1 and 2 are `<3`, and no hidden count can be worked out
from a row or a column and its total (DOMAIN.md rule 11)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from oversigt.smaa_tal import SKJULT, Tal, andel, primaer, tabel


def vist(t) -> list[list[str]]:
    return [[str(tal) for tal in raekke] for raekke in t.raekker]


def test_one_and_two_are_hidden_and_zero_and_three_are_shown():
    assert [str(primaer(n)) for n in range(5)] == ["0", SKJULT, SKJULT, "3", "4"]
    assert primaer(2).vises is None
    assert primaer(3).vises == 3


def test_a_table_with_no_small_cells_is_shown_whole_with_its_totals():
    assert vist(tabel([[3, 4], [5, 6]])) == [["3", "4", "7"], ["5", "6", "11"], ["8", "10", "18"]]


def test_a_lone_small_cell_hides_the_smallest_other_entry_of_its_row_and_column():
    # Hand-worked: the 1 is hidden; its row (1, 5 | 6) would give it away, so 5 goes too; its
    # column (1, 4 | 5) would too, so 4 goes; then the second column (5 hidden, 7 | 12) needs 7
    # hidden as well, and the second row (4, 7 hidden | 11) is then safe.
    t = tabel([[1, 5], [4, 7]])

    assert vist(t) == [[SKJULT, SKJULT, "6"], [SKJULT, SKJULT, "11"], ["5", "12", "17"]]


def test_a_hidden_total_counts_as_a_hidden_entry_of_its_column():
    # Row (0, 2 | 2): the 2 and the row total 2 are hidden by themselves. Column 2 (2 hidden,
    # 3 | 5) hides the 3; the totals column (2 hidden, 7 | 9) hides the 7. Row 2 (4, 3 and 7
    # hidden) is then safe: x + y = 5 has many solutions.
    t = tabel([[0, 2], [4, 3]])

    assert vist(t) == [["0", SKJULT, SKJULT], ["4", SKJULT, SKJULT], ["4", "5", "9"]]


def test_when_only_zeros_are_left_in_a_line_a_total_is_hidden():
    # The 1 and its row and column totals (1) hide themselves. The totals column (1 hidden,
    # 4 | 5) then gives the 4 away, and beside it stand only zeros and the hidden 1: the row
    # total 4 goes, which leaves row 2 (0, 4 | 4 hidden) with one hidden entry and a zero, so the
    # cell 4 goes too. The grand total stays: a + b = 5 has many solutions.
    t = tabel([[1, 0], [0, 4]])

    assert vist(t) == [[SKJULT, "0", SKJULT], ["0", SKJULT, SKJULT], [SKJULT, SKJULT, "5"]]


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda bredde: st.lists(
            st.lists(st.integers(0, 12), min_size=bredde, max_size=bredde), min_size=1, max_size=5
        )
    )
)
def test_no_row_or_column_has_exactly_one_hidden_entry(celler):
    t = tabel(celler)
    raekker = t.raekker
    kolonner = [list(k) for k in zip(*raekker, strict=True)]

    for linje in raekker + kolonner:
        assert sum(tal.skjult for tal in linje) != 1
    for raekke in raekker:
        for tal in raekke:
            if 0 < tal.vaerdi < 3:
                assert tal.skjult
    # The totals are the real sums: only the display hides, never the arithmetic.
    assert raekker[-1][-1].vaerdi == sum(map(sum, celler))


def test_a_rate_is_not_given_where_it_and_a_shown_count_would_reveal_a_hidden_one():
    assert andel(Tal(6), Tal(8)) == "75 %"
    assert andel(primaer(2), Tal(8)) is None
    assert andel(Tal(6), primaer(1)) is None
    assert andel(Tal(0), Tal(0)) is None
