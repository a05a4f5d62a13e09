"""The same input gives byte-identical output under any load: budgets are counted in work.

``derive export`` is run twice in fresh processes, once as a user would and once with every
wall-clock backstop cut to 0.3 of its length (``DERIVE_TIME_SCALE``) while another process
keeps a core busy. Any output decided by a clock instead of by counted work shows up as a
difference. That is one slow test (two full exports), part of the normal suite on purpose: a
result that depends on the machine's load is a bug a new user would meet first. The quick
tests below check the knob itself, that a work budget counts objects built and not time, and
that a budget that runs out gives no result rather than a different one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sympy as sp

import derive.budgets as derive_budgets
from derive.budgets import OutOfWork, time_scale, wall_clock_limit, work_limit
from derive.differentiate import _cleanup
from derive.parse import parse

from .conftest import ROOT

EXPORT_TIMEOUT = 1200  # seconds; a loaded machine exports in a few minutes
SPIN_SECONDS = 1500  # the spinner stops by itself even if the test is killed


def _export(folder: Path, env: dict[str, str]) -> dict[str, bytes]:
    folder.mkdir()
    run = subprocess.run(
        [sys.executable, "-m", "derive", "export", str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=ROOT,
        timeout=EXPORT_TIMEOUT,
    )
    assert run.returncode == 0, run.stderr
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_export_is_byte_identical_under_load_and_scaled_backstops(tmp_path: Path) -> None:
    plain = _export(tmp_path / "plain", {"DERIVE_TIME_SCALE": "1"})
    spin = f"import time\nend = time.time() + {SPIN_SECONDS}\nwhile time.time() < end: pass"
    spinner = subprocess.Popen([sys.executable, "-c", spin])
    try:
        loaded = _export(tmp_path / "loaded", {"DERIVE_TIME_SCALE": "0.3"})
    finally:
        spinner.kill()
        spinner.wait()
    assert sorted(loaded) == sorted(plain)
    assert len(plain) >= 4 * 15  # every built-in in every format
    differing = [name for name in plain if loaded[name] != plain[name]]
    assert not differing, f"output depends on time or load: {differing}"


SCALES = [("", 1.0), ("0.3", 0.3), ("2", 2.0), ("0", 1.0), ("-1", 1.0), ("inf", 1.0), ("ten", 1.0)]


@pytest.mark.parametrize(("text", "scale"), SCALES)
def test_time_scale_reads_the_environment(monkeypatch: pytest.MonkeyPatch, text: str, scale: float) -> None:
    monkeypatch.setenv("DERIVE_TIME_SCALE", text)
    assert time_scale() == scale


def test_the_backstop_is_scaled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DERIVE_TIME_SCALE", "0.01")
    started = time.perf_counter()
    with pytest.raises(OutOfWork), wall_clock_limit(5):
        while time.perf_counter() - started < 4:
            pass
    assert time.perf_counter() - started < 1


def test_a_work_budget_counts_objects_built_not_time() -> None:
    """The same work runs out of the same budget, however long it takes: a budget just large
    enough for one expansion lets it finish, each time; a budget of half that count never does."""
    expr = parse("(x + 1)^12 (x - 2)^9")
    sp.core.cache.clear_cache()
    with work_limit(10**9):
        before = derive_budgets._built
        sp.expand(expr)
        needed = derive_budgets._built - before
    for _ in range(2):
        sp.core.cache.clear_cache()
        with work_limit(needed):
            sp.expand(expr)
        sp.core.cache.clear_cache()
        with pytest.raises(OutOfWork), work_limit(needed // 2):
            sp.expand(expr)


def test_budgets_nest_and_switch_counting_off_when_closed() -> None:
    from sympy.core.basic import Basic

    plain = Basic.__dict__["__new__"]
    with pytest.raises(OutOfWork), work_limit(10**9), work_limit(5):
        sp.expand(parse("(x + 1)^30"))  # the inner budget runs out, and is not outlived
    assert Basic.__dict__["__new__"] is plain  # no counting outside a budget
    with work_limit(10**9):
        with pytest.raises(OutOfWork), work_limit(5):
            sp.expand(parse("(x + 2)^30"))
        sp.expand(parse("(x + 3)^30"))  # the outer budget goes on after the inner one ran out


def test_an_outer_budget_that_ran_out_is_not_swallowed_by_an_inner_handler() -> None:
    with pytest.raises(OutOfWork), work_limit(50):
        try:
            with work_limit(10**6):
                sp.expand(parse("(x + 4)^30"))
        except OutOfWork:
            pass  # an inner stage gives up; the outer one ran out all the same


def test_the_count_is_the_same_from_one_process_to_the_next() -> None:
    """SymPy shuffles the order of its assumption queries with a random generator; each outermost
    budget seeds it, so a fresh process builds the same number of objects every time."""
    code = (
        "import sympy as sp\n"
        "import derive.budgets as b\n"
        "x = sp.Symbol('x')\n"
        "with b.work_limit(10**9):\n"
        "    start = b._built\n"
        "    sp.simplify(sp.sin(x)**4 - sp.cos(x)**4 - sp.sin(x)**2 + sp.cos(x)**2)\n"
        "    print(b._built - start)\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    counts = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT).stdout
        for _ in range(4)
    }
    assert len(counts) == 1 and int(counts.pop()) > 0


def test_another_threads_work_is_neither_counted_nor_stopped() -> None:
    import threading

    failures: list[BaseException] = []

    def other() -> None:
        try:
            for k in range(60):
                sp.expand(parse(f"(x + {k})^6"))
        except BaseException as error:
            failures.append(error)

    with work_limit(10**7):
        thread = threading.Thread(target=other)
        thread.start()
        before = derive_budgets._built
        thread.join()
        assert derive_budgets._built == before
    assert not failures


def test_a_clean_up_cut_short_is_no_clean_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the budget runs out in the last operation, the earlier ones are not kept either: a
    slower machine gets no clean-up, never a different one."""
    expr = parse("2 x (x + 1) + 2 x")
    assert _cleanup(expr)  # normally something is shorter

    def out_of_time(*args: object, **kwargs: object) -> None:
        raise OutOfWork

    monkeypatch.setattr(sp, "factor", out_of_time)
    assert _cleanup(expr) == []


_CHECK_CORPUS = """
import sys
from pathlib import Path
from derive.formats.json import write
from derive.read.documents import check
for path in sorted(Path(sys.argv[1]).iterdir()):
    if path.suffix in (".md", ".tex", ".txt", ".ipynb"):
        print(path.name, write(check(path)))
"""


def test_checking_the_corpus_is_identical_under_any_hash_seed() -> None:
    # Python salts str hashes per process: a set's order, or a Dummy's index, must not pick the
    # point a counterexample is given at
    outputs = [
        subprocess.run(
            [sys.executable, "-c", _CHECK_CORPUS, str(ROOT / "tests" / "corpus")],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            cwd=ROOT,
            timeout=EXPORT_TIMEOUT,
            check=True,
        ).stdout
        for seed in ("1", "2")
    ]
    assert outputs[0].count("\n") >= 40
    assert outputs[0] == outputs[1]
