"""`ketenhub privacy check`: JSON lines in, one verdict line out per input line."""

import io
import json

from consent.privacy.cli import check_lines, run


def test_each_line_gets_one_verdict_in_order(guard):
    lines = ['"Hij heeft schizofrenie"\n', '{"data": {"x": "bsn 111222333"}}\n', '"geluidsoverlast"\n']
    out = [json.loads(o) for o in check_lines(lines, guard)]
    assert [o["medical"] for o in out] == [True, False, False]
    assert [o["bsn"] for o in out] == [False, True, False]
    assert out[1]["findings"] == [{"rule": "privacy.bsn", "field": "/data/x", "span": [4, 13]}]


def test_blank_lines_are_skipped(guard):
    assert list(check_lines(["\n", "   \n", '"x"\n'], guard)) == [
        '{"bsn": false, "medical": false, "findings": []}'
    ]


def test_a_malformed_line_yields_an_error_without_echoing_it(guard):
    out = list(check_lines(["bsn 111222333 {\n"], guard))
    assert json.loads(out[0])["error"]["code"] == "request.malformed_json"
    assert "111222333" not in out[0]


def test_run_exits_zero_on_clean_input_and_one_when_a_line_is_malformed(guard):
    stdout = io.StringIO()
    assert run(io.StringIO('"ok"\n"haldol"\n'), stdout, guard) == 0
    assert len(stdout.getvalue().splitlines()) == 2
    assert run(io.StringIO('"ok"\nnope\n'), io.StringIO(), guard) == 1


def test_the_check_normalises_like_the_guard_and_reports_spans_in_the_line_as_sent(guard):
    lines = [
        json.dumps("bsn 111\u200d222\u200d333") + "\n",
        json.dumps({"x": "Hij heeft psych0se"}) + "\n",
        json.dumps("\u0661\u0661\u0661\u0662\u0662\u0662\u0663\u0663\u0663") + "\n",
    ]
    out = [json.loads(o) for o in check_lines(lines, guard)]
    assert out[0]["findings"] == [{"rule": "privacy.bsn", "field": "", "span": [4, 15]}]
    assert out[1]["findings"] == [{"rule": "privacy.medical", "field": "/x", "span": [10, 18]}]
    assert out[2]["bsn"] is True


def test_an_integer_python_will_not_read_is_a_malformed_line_not_a_crash(guard):
    out = list(check_lines(["9" * 5000 + "\n", '"bsn 111222333"\n'], guard))
    assert json.loads(out[0])["error"]["code"] == "request.malformed_json"
    assert json.loads(out[1])["bsn"] is True
