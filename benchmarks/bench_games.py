"""Benchmark of jichitai_cloud.games: exact Shapley value, nucleolus and sampled Shapley.

Run with the project's environment::

    PYTHONPATH=src python benchmarks/bench_games.py            # default run, about 2 minutes
    PYTHONPATH=src python benchmarks/bench_games.py --quick    # ours and the pure-Python baseline only
    PYTHONPATH=src python benchmarks/bench_games.py --timeout 300   # let slow peers run longer

It prints, measured in one run:

- ours (``shapley``) for n = 8, 12, 16, 20 members against a straightforward pure-Python
  implementation of the same formula and against the cooperative-game packages on PyPI;
- ours (``nucleolus``) for n = 8, 10, 12 against the peers that compute a nucleolus;
- the ratios the issue asks for (exact Shapley at n = 20 under 0.5 s and at least 1,000x faster than
  the fastest peer at n = 12; nucleolus at n = 10 under 5 s);
- the sampled Shapley estimator's error against the exact value at n = 20, with its standard
  errors and Hoeffding bound, and the peak memory of the exact Shapley value at n = 20;
- steady speed: ``shapley`` at n = 8..20 quiet and with the other core busy (a process running a
  numpy matrix-product loop), target at most 3x the quiet time;
- bigger games: ``shapley`` at n = 24 and 26 (28 with ``--big`` when the machine has the memory),
  each in a fresh process, time and peak memory against the cost vector itself (the floor; target
  within 2x) and against the previous implementation (per-coalition weight tables) at n = 24;
  ``nucleolus`` at n = 16, 18, 20 on the council game and on a uniform random game (target n = 20
  within 5 s).

The peers run in their own environment, never as dependencies of the project.  Create it with::

    python3 -m venv /work/peer-venvs/games
    /work/peer-venvs/games/bin/pip install numpy scipy pandas pyomo \\
        tucoopy tu-games shapley-value coalitions coopgt pyshapley pyCoopGame
    apt-get install glpk-utils        # the LP solver pyCoopGame's nucleolus calls through pyomo

(or point ``--peer-python`` / ``JICHITAI_PEER_PYTHON`` at another interpreter).  A peer that is not
installed is reported as "not installed: skipped" with that command.  Each peer call runs in a
subprocess (this same file with ``--worker``) with a time limit; a peer that cannot finish is shown
as "> limit", and permutation-based peers (n! orders) are extrapolated from n = 8 rather than run
at n = 12.

The game: a council whose coalition ``S`` costs ``F + a * population(S) ** 0.75`` (a platform cost
plus a per-capita cost with economies of scale) and whose members alone pay 10 % more than the curve
for their own size; the peers that work with value (savings) games get
``v(S) = sum of the members' stand-alone costs - c(S)`` and their results are converted back.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from _timing import best_wall
from games_oracle import previous_shapley  # the implementation before issue 14

PEER_PYTHON_DEFAULT = "/work/peer-venvs/games/bin/python"
INSTALL_HINT = ("python3 -m venv /work/peer-venvs/games && /work/peer-venvs/games/bin/pip install numpy scipy "
                "pandas pyomo tucoopy tu-games shapley-value coalitions coopgt pyshapley pyCoopGame "
                "(and apt-get install glpk-utils for pyCoopGame's nucleolus)")


# ------------------------------------------------------------------------------------------------
# the game (numpy only: shared by the main process and the peer workers)
# ------------------------------------------------------------------------------------------------
def make_game(n: int, seed: int = 2016) -> np.ndarray:
    """Coalition costs [yen] of an n-member council, indexed by bitmask."""
    rng = np.random.default_rng(seed + n)
    pops = rng.integers(3_000, 95_000, size=n).astype(np.float64)
    masks = np.arange(1 << n)
    lo = n // 2
    bits_lo = ((np.arange(1 << lo)[:, None] >> np.arange(lo)) & 1).astype(np.float64)
    bits_hi = ((np.arange(1 << (n - lo))[:, None] >> np.arange(n - lo)) & 1).astype(np.float64)
    size = ((bits_hi @ pops[lo:])[:, None] + (bits_lo @ pops[:lo])[None, :]).ravel()
    costs = np.where(masks > 0, np.rint(3e8 + 1.1e5 * size**0.75), 0.0)
    single = 1 << np.arange(n)
    costs[single] = np.rint(1.1 * costs[single])
    return costs


def savings_game(costs: np.ndarray) -> np.ndarray:
    n = int(math.log2(costs.size))
    single = costs[1 << np.arange(n)]
    members = ((np.arange(1 << n)[:, None] >> np.arange(n)) & 1).astype(np.float64)
    return members @ single - costs


def coalition_of(mask: int, n: int) -> tuple[int, ...]:
    return tuple(i for i in range(n) if (mask >> i) & 1)


# ------------------------------------------------------------------------------------------------
# a straightforward implementation: the textbook formula in pure Python
# ------------------------------------------------------------------------------------------------
def shapley_pure_python(costs: list[float]) -> list[float]:
    n = len(costs).bit_length() - 1
    fact = [math.factorial(k) for k in range(n + 1)]
    phi = [0.0] * n
    for i in range(n):
        bit = 1 << i
        for s in range(1 << n):
            if s & bit:
                continue
            k = bin(s).count("1")
            phi[i] += fact[k] * fact[n - k - 1] / fact[n] * (costs[s | bit] - costs[s])
    return phi


# ------------------------------------------------------------------------------------------------
# peer workers (run under the peer environment's python)
# ------------------------------------------------------------------------------------------------
def _peer_shapley(peer: str, n: int) -> tuple[float, list[float]]:
    c = make_game(n)
    v = savings_game(c)
    single = c[1 << np.arange(n)]
    if peer == "tucoopy":
        from tucoopy import Game
        from tucoopy.solutions import shapley_value

        g = Game.from_coalitions(n_players=n, values={int(s): float(v[s]) for s in range(1 << n)})
        t = time.perf_counter()
        phi = shapley_value(g)
        dt = time.perf_counter() - t
        return dt, list(single - np.array(phi))
    if peer == "tucoopy-fast":
        from tucoopy import Game
        from tucoopy.solutions.shapley import shapley_value_fast

        g = Game.from_coalitions(n_players=n, values={int(s): float(v[s]) for s in range(1 << n)})
        t = time.perf_counter()
        phi = shapley_value_fast(g)
        dt = time.perf_counter() - t
        return dt, list(single - np.array(phi))
    if peer == "tu-games":
        from tu_games.game import ShapleyGame

        g = ShapleyGame(n, {frozenset(coalition_of(s, n)): float(c[s]) for s in range(1 << n)})
        t = time.perf_counter()
        g.compute_solution()
        return time.perf_counter() - t, list(g.solution)
    if peer == "shapley-value":
        from shapley_value.calculator import ShapleyValue

        sv = ShapleyValue(list(range(n)), {coalition_of(s, n): float(c[s]) for s in range(1 << n)})
        t = time.perf_counter()
        res = sv.calculate_shapley_values()
        return time.perf_counter() - t, [res[i] for i in range(n)]
    if peer == "coalitions":
        from coalitions.coalitionalgame import CoalitionalGame

        g = CoalitionalGame({coalition_of(s, n): float(c[s]) for s in range(1, 1 << n)}, isCost=True)
        t = time.perf_counter()
        res = g.get_shapley_values()
        return time.perf_counter() - t, [res[i] for i in range(n)]
    if peer == "coopgt":
        from coopgt import shapley_value

        cf = {tuple(i + 1 for i in coalition_of(s, n)): float(c[s]) for s in range(1 << n)}
        t = time.perf_counter()
        res = shapley_value.calculate(cf, n)
        return time.perf_counter() - t, list(res)
    if peer == "pyshapley":
        from pyshapley.game import ManualDictGame
        from pyshapley.solution import Shapley

        names = [chr(65 + i) for i in range(n)]
        g = ManualDictGame(names, {"".join(names[i] for i in coalition_of(s, n)): float(c[s])
                                   for s in range(1 << n)})
        t = time.perf_counter()
        sol = Shapley(g)
        res = [sol.shapley(p) for p in names]
        return time.perf_counter() - t, res
    if peer == "pyCoopGame":
        import contextlib
        import io

        import pandas as pd
        from pyCoopGame.Shapley import Shapley as pcg_shapley

        order = sorted(range(1 << n), key=lambda s: (bin(s).count("1"), coalition_of(s, n)))
        df = pd.DataFrame({"coalition": [list(coalition_of(s, n)) for s in order],
                           "value": [float(v[s]) for s in order]})
        t = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            res = pcg_shapley(df)
        dt = time.perf_counter() - t
        return dt, list(single - np.array([res[i] for i in range(n)]))
    raise SystemExit(f"unknown peer {peer}")


def _peer_nucleolus(peer: str, n: int) -> tuple[float, list[float]]:
    c = make_game(n)
    v = savings_game(c)
    single = c[1 << np.arange(n)]
    if peer == "tucoopy":
        from tucoopy import Game
        from tucoopy.solutions import nucleolus

        g = Game.from_coalitions(n_players=n, values={int(s): float(v[s]) for s in range(1 << n)})
        t = time.perf_counter()
        res = nucleolus(g)
        dt = time.perf_counter() - t
        return dt, list(single - np.array(res.x))
    if peer == "pyCoopGame":
        import contextlib
        import io

        import pandas as pd
        from pyCoopGame.Nucleolus import nucleolus

        order = sorted(range(1 << n), key=lambda s: (bin(s).count("1"), coalition_of(s, n)))
        # in 億円 (1e8 yen): GLPK fails on the game in yen
        df = pd.DataFrame({"coalition": [list(coalition_of(s, n)) for s in order],
                           "value": [float(v[s]) / 1e8 for s in order]})
        t = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            res = nucleolus(df)
        dt = time.perf_counter() - t
        return dt, list(single - 1e8 * np.array([res[i] for i in range(n)]))
    raise SystemExit(f"unknown peer {peer}")


def worker(argv: list[str]) -> None:
    kind, peer, n = argv[0], argv[1], int(argv[2])
    try:
        dt, res = (_peer_shapley if kind == "shapley" else _peer_nucleolus)(peer, n)
    except ImportError as exc:
        print(json.dumps({"missing": str(exc)}))
        return
    print(json.dumps({"seconds": dt, "result": [float(x) for x in res]}))


# ------------------------------------------------------------------------------------------------
# bigger games, steady speed
# ------------------------------------------------------------------------------------------------
def make_big_game(n: int, seed: int = 2016) -> np.ndarray:
    """As :func:`make_game`, filled block by block: no temporary as large as the game."""
    rng = np.random.default_rng(seed + n)
    pops = rng.integers(3_000, 95_000, size=n).astype(np.float64)
    lo = n // 2
    bits_lo = ((np.arange(1 << lo)[:, None] >> np.arange(lo)) & 1).astype(np.float64)
    bits_hi = ((np.arange(1 << (n - lo))[:, None] >> np.arange(n - lo)) & 1).astype(np.float64)
    s_lo, s_hi = bits_lo @ pops[:lo], bits_hi @ pops[lo:]
    costs = np.empty(1 << n)
    grid = costs.reshape(1 << (n - lo), 1 << lo)
    for start in range(0, 1 << (n - lo), 256):
        block = grid[start:start + 256]
        np.add(s_hi[start:start + 256, None], s_lo[None, :], out=block)
        np.power(block, 0.75, out=block)
        block *= 1.1e5
        block += 3e8
        np.rint(block, out=block)
    costs[0] = 0.0
    single = 1 << np.arange(n)
    costs[single] = np.rint(1.1 * costs[single])
    return costs


def memory_worker(argv: list[str]) -> None:
    """In a fresh process: build the game, then time one call and trace its peak allocation."""
    import resource
    import tracemalloc

    which, n = argv[0], int(argv[1])
    from jichitai_cloud.games import shapley

    f = shapley if which == "ours" else previous_shapley
    c = make_big_game(n)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    t = time.perf_counter()
    phi = f(c)
    dt = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": dt, "traced_peak": peak, "vector": c.nbytes, "rss_before": rss_before,
                      "rss_after": rss_after, "efficiency": float(phi.sum() / c[-1] - 1.0)}))


def available_memory() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return 0


BUSY_CODE = ("import numpy as np\n"
             "a = np.random.default_rng(0).random((400, 400))\n"
             "while True:\n"
             "    a = a @ a\n"
             "    a /= np.abs(a).max()\n")


def steady_speed(shapley: Any) -> dict[int, tuple[float, float, float]]:
    """``shapley`` quiet and with a neighbour process running a matrix-product loop."""
    games = {n: make_game(n) for n in (8, 12, 16, 20)}
    quiet = {n: best_wall(lambda c=c: shapley(c), 20 if n < 20 else 5) for n, c in games.items()}
    # one busy thread (the neighbour keeps one core busy, not both)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    busy_proc = subprocess.Popen([sys.executable, "-c", BUSY_CODE], env=env)
    try:
        time.sleep(1.0)
        busy = {n: best_wall(lambda c=c: shapley(c), 20 if n < 20 else 5) for n, c in games.items()}
        # the median as well: a busy neighbour shows in the typical call, not only the best
        busy_median = {}
        for n, c in games.items():
            times = []
            for _ in range(21 if n < 20 else 11):
                t = time.perf_counter()
                shapley(c)
                times.append(time.perf_counter() - t)
            busy_median[n] = float(np.median(times))
    finally:
        busy_proc.terminate()
        busy_proc.wait()
    return {n: (quiet[n], busy[n], busy_median[n]) for n in games}


# ------------------------------------------------------------------------------------------------
# main process
# ------------------------------------------------------------------------------------------------
SHAPLEY_PEERS = ("tucoopy", "tucoopy-fast", "tu-games", "shapley-value", "pyCoopGame", "coalitions", "coopgt",
                 "pyshapley")
PERMUTATION_PEERS = {"coalitions", "coopgt", "pyshapley"}  # n! orders: run at n = 8 only, extrapolate
NUCLEOLUS_PEERS = ("tucoopy", "pyCoopGame")


def run_peer(python: str, kind: str, peer: str, n: int, timeout: float) -> dict[str, Any]:
    try:
        out = subprocess.run([python, __file__, "--worker", kind, peer, str(n)], capture_output=True, text=True,
                             timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    lines = [x for x in out.stdout.strip().splitlines() if x.startswith("{")]
    if not lines:
        return {"error": (out.stderr.strip().splitlines() or ["no output"])[-1]}
    data: dict[str, Any] = json.loads(lines[-1])
    return data


def fmt_s(x: float) -> str:
    if x < 1e-3:
        return f"{x * 1e6:8.1f} us"
    if x < 1:
        return f"{x * 1e3:8.2f} ms"
    return f"{x:8.2f} s "


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the peers")
    parser.add_argument("--timeout", type=float, default=30.0, help="time limit per peer call [s]")
    parser.add_argument("--big", action="store_true",
                        help="also run exact Shapley at n = 28 (a 2 GiB cost vector) if the memory is available")
    parser.add_argument("--peer-python", default=os.environ.get("JICHITAI_PEER_PYTHON", PEER_PYTHON_DEFAULT))
    args = parser.parse_args()

    from jichitai_cloud.games import nucleolus, sampled_shapley, shapley

    peers_ok = not args.quick and Path(args.peer_python).exists()
    if not args.quick and not peers_ok:
        print(f"peer environment {args.peer_python} not found: every peer skipped. Install: {INSTALL_HINT}")
    print(f"numpy {np.__version__}; timings are the best of several runs on this machine ({os.cpu_count()} cores)")

    # -- exact Shapley ----------------------------------------------------------------------------
    print("\nExact Shapley value (シャープレイ値)")
    print(f"{'n':>3} {'ours':>12} {'pure Python':>14} {'speed-up':>9}   peers (time, ours faster by, max |diff| yen)")
    ours_shapley: dict[int, float] = {}
    fastest_peer_12: tuple[str, float] | None = None
    perm_8: dict[str, float] = {}
    last: dict[str, tuple[int, float]] = {}

    def growth(peer: str, m: int, n: int) -> float:
        # the subset formula costs about n * 2**n (pyCoopGame n**2 * 2**n)
        power = 2 if peer == "pyCoopGame" else 1
        return float((n / m) ** power * 2.0 ** (n - m))
    for n in (8, 12, 16, 20):
        c = make_game(n)
        phi = shapley(c)
        ours = best_wall(lambda c=c: shapley(c), 5 if n < 20 else 3)
        ours_shapley[n] = ours
        if n <= 16:
            clist = c.tolist()
            py = best_wall(lambda clist=clist: shapley_pure_python(clist), 1)
            assert np.allclose(shapley_pure_python(clist) if n <= 12 else phi, phi, rtol=1e-9)
            py_text = fmt_s(py)
            ratio = f"{py / ours:8.0f}x"
        else:
            py_text, ratio = "(skipped)", ""
        line = f"{n:>3} {fmt_s(ours):>12} {py_text:>14} {ratio:>9}  "
        if peers_ok:
            parts = []
            for peer in SHAPLEY_PEERS:
                if peer in PERMUTATION_PEERS and n > 8:
                    if peer in perm_8:
                        est = perm_8[peer] * math.factorial(n) / math.factorial(8)
                        parts.append(f"{peer} ~{est:.3g} s extrapolated (n!/8! x n=8)")
                    continue
                if peer in last and last[peer][1] * growth(peer, last[peer][0], n) > args.timeout:
                    m, dt_m = last[peer]
                    est = dt_m * growth(peer, m, n)
                    parts.append(f"{peer} ~{est:.3g} s expected from n = {m}: not run (limit {args.timeout:.0f} s)")
                    continue
                res = run_peer(args.peer_python, "shapley", peer, n, args.timeout)
                if "missing" in res:
                    parts.append(f"{peer} not installed: skipped")
                elif "timeout" in res:
                    parts.append(f"{peer} > {args.timeout:.0f} s (time limit)")
                elif "error" in res:
                    parts.append(f"{peer} failed: {res['error'][:60]}")
                else:
                    dt = float(res["seconds"])
                    diff = float(np.max(np.abs(np.array(res["result"]) - phi)))
                    parts.append(f"{peer} {fmt_s(dt).strip()} ({dt / ours:,.0f}x, {diff:.2g})")
                    last[peer] = (n, dt)
                    if peer in PERMUTATION_PEERS and n == 8:
                        perm_8[peer] = dt
                    if n == 12 and (fastest_peer_12 is None or dt < fastest_peer_12[1]):
                        fastest_peer_12 = (peer, dt)
            line += "\n      " + "\n      ".join(parts)
        print(line)

    # -- nucleolus --------------------------------------------------------------------------------
    print("\nNucleolus (仁)")
    print(f"{'n':>3} {'ours':>12}   peers (time, ours faster by, max |diff| yen)")
    ours_nuc: dict[int, float] = {}
    fastest_nuc_10: tuple[str, float] | None = None
    nuc_last: dict[str, tuple[int, float]] = {}
    nuc_failed: set[str] = set()
    for n in (8, 10, 12):
        c = make_game(n)
        x = nucleolus(c)
        ours = best_wall(lambda c=c: nucleolus(c), 3)
        ours_nuc[n] = ours
        line = f"{n:>3} {fmt_s(ours):>12}  "
        if peers_ok:
            parts = []
            for peer in NUCLEOLUS_PEERS:
                if peer in nuc_failed:
                    parts.append(f"{peer} not run (failed at a smaller n)")
                    continue
                if peer in nuc_last and nuc_last[peer][1] * 4.0 ** (n - nuc_last[peer][0]) > args.timeout:
                    m, dt_m = nuc_last[peer]
                    parts.append(f"{peer} not run: {dt_m:.3g} s at n = {m}, over the {args.timeout:.0f} s limit "
                                 f"expected (time grows about 4x per member; raise --timeout to run it)")
                    continue
                res = run_peer(args.peer_python, "nucleolus", peer, n, args.timeout)
                if "missing" in res:
                    parts.append(f"{peer} not installed: skipped")
                elif "timeout" in res:
                    parts.append(f"{peer} > {args.timeout:.0f} s (time limit)")
                elif "error" in res:
                    parts.append(f"{peer} failed: {res['error'][:90]}")
                    nuc_failed.add(peer)
                else:
                    dt = float(res["seconds"])
                    nuc_last[peer] = (n, dt)
                    diff = float(np.max(np.abs(np.array(res["result"]) - x)))
                    parts.append(f"{peer} {fmt_s(dt).strip()} ({dt / ours:,.0f}x, {diff:.3g})")
                    if n == 10 and (fastest_nuc_10 is None or dt < fastest_nuc_10[1]):
                        fastest_nuc_10 = (peer, dt)
            line += "\n      " + "\n      ".join(parts)
        print(line)

    # -- steady speed: a busy neighbour core ------------------------------------------------------
    print("\nExact Shapley quiet and with the other core busy (a process running numpy matrix products)")
    print(f"  load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())} (other work on the machine "
          "shows in the medians)")
    print(f"{'n':>3} {'quiet':>12} {'busy best':>12} {'best/quiet':>11} {'busy median':>12} {'median/quiet':>13}")
    steady = steady_speed(shapley)
    for n, (q, b, med) in steady.items():
        print(f"{n:>3} {fmt_s(q):>12} {fmt_s(b):>12} {b / q:>10.1f}x {fmt_s(med):>12} {med / q:>12.1f}x")

    # -- bigger games ---------------------------------------------------------------------------------
    print("\nExact Shapley on bigger games (each in a fresh process; floor = the cost vector itself)")
    print(f"{'n':>3} {'impl':>9} {'time':>11} {'vector':>10} {'peak alloc':>11} {'peak/vector':>12} {'max RSS':>10}")
    big_ratio: dict[int, float] = {}
    sizes = [(24, "ours"), (24, "previous"), (26, "ours")] + ([(28, "ours")] if args.big else [])
    for n, which in sizes:
        need = (1 << n) * 8 * (4 if which == "previous" else 2)
        if available_memory() and available_memory() < need + 2**30:
            print(f"{n:>3} {which:>9}   skipped: {need / 2**30:.1f} GiB needed, {available_memory() / 2**30:.1f} GiB available")
            continue
        out = subprocess.run([sys.executable, __file__, "--memory-worker", which, str(n)], capture_output=True,
                             text=True, check=False)
        lines = [x for x in out.stdout.splitlines() if x.startswith("{")]
        if not lines:
            print(f"{n:>3} {which:>9}   failed: {(out.stderr.strip().splitlines() or ['no output'])[-1]}")
            continue
        r = json.loads(lines[-1])
        peak_total = r["vector"] + r["traced_peak"]
        if which == "ours":
            big_ratio[n] = peak_total / r["vector"]
        print(f"{n:>3} {which:>9} {fmt_s(r['seconds']):>11} {r['vector'] / 2**20:>7.0f} MiB {r['traced_peak'] / 2**20:>7.1f} MiB "
              f"{peak_total / r['vector']:>11.2f}x {r['rss_after'] / 2**20:>6.0f} MiB")
    print("  (peak/vector = (the cost vector + the most the call allocated at once) / the cost vector)")

    print("\nNucleolus on bigger games (ours; the peers are not run beyond n = 12)")
    print(f"{'n':>3} {'council game':>13} {'uniform random':>15}")
    nuc_big: dict[int, float] = {}
    for n in (16, 18, 20):
        c = make_game(n)
        t_council = best_wall(lambda c=c: nucleolus(c), 1)
        r = np.random.default_rng(n).uniform(0.0, 1e9, size=1 << n)
        r[0] = 0.0
        t_random = best_wall(lambda r=r: nucleolus(r, imputations=False), 1)
        nuc_big[n] = max(t_council, t_random)
        print(f"{n:>3} {fmt_s(t_council):>13} {fmt_s(t_random):>15}")

    # -- sampled Shapley at n = 20 ------------------------------------------------------------------
    n = 20
    c = make_game(n)
    exact = shapley(c)
    weights = 1 << np.arange(n)
    print("\nSampled Shapley at n = 20 (cost function = table look-up), error against the exact value")
    print(f"{'orders':>7} {'time':>11} {'max |err|':>12} {'max err/mean':>13} {'max |err|/SE':>13} "
          f"{'max bound':>12} {'within bound':>12}")
    sampled_shapley(lambda m: c[m.astype(np.int64) @ weights], n, samples=10, seed=0)  # warm-up
    for samples, anti in ((1000, False), (1000, True), (10000, True)):
        t = time.perf_counter()
        res = sampled_shapley(lambda m: c[m.astype(np.int64) @ weights], n, samples=samples, seed=7,
                              antithetic=anti)
        dt = time.perf_counter() - t
        err = np.abs(res.estimate - exact)
        label = f"{samples}{'a' if anti else ''}"
        print(f"{label:>7} {fmt_s(dt):>11} {err.max():>12,.0f} {err.max() / exact.mean():>13.2%} "
              f"{(err / res.std_error).max():>13.2f} {res.bound.max():>12,.0f} {bool((err <= res.bound).all())!s:>12}")
    print("  (a = antithetic pairs; bound = simultaneous 95 % Hoeffding bound on the observed range)")

    # -- memory -------------------------------------------------------------------------------------
    import tracemalloc

    tracemalloc.start()
    shapley(c)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"\nPeak memory of shapley at n = 20: {peak / 2**20:.1f} MiB (the cost vector itself: "
          f"{c.nbytes / 2**20:.1f} MiB)")

    # -- targets ------------------------------------------------------------------------------------
    print("\nTargets")
    print(f"  exact Shapley n = 20: {ours_shapley[20]:.4f} s (target < 0.5 s): "
          f"{'met' if ours_shapley[20] < 0.5 else 'NOT met'}")
    if fastest_peer_12 is not None:
        r = fastest_peer_12[1] / ours_shapley[12]
        print(f"  exact Shapley n = 12: {r:,.0f}x faster than the fastest peer measured ({fastest_peer_12[0]}, "
              f"{fastest_peer_12[1]:.4f} s) (target >= 1,000x): {'met' if r >= 1000 else 'NOT met'}")
    else:
        print("  exact Shapley n = 12 vs peers: no peer measured")
    worst = max(b / q for q, b, _ in steady.values())
    worst_median = max(med / q for q, _, med in steady.values())
    print(f"  exact Shapley with a busy neighbour: best of runs at most {worst:.1f}x the quiet time (target <= 3x): "
          f"{'met' if worst <= 3 else 'NOT met'}; medians at most {worst_median:.1f}x")
    for n, ratio in big_ratio.items():
        print(f"  exact Shapley n = {n}: peak memory {ratio:.2f}x the cost vector (target <= 2x): "
              f"{'met' if ratio <= 2 else 'NOT met'}")
    print(f"  nucleolus n = 20: {nuc_big[20]:.2f} s (target < 5 s): {'met' if nuc_big[20] < 5 else 'NOT met'}")
    print(f"  nucleolus n = 10: {ours_nuc[10]:.4f} s (target < 5 s): {'met' if ours_nuc[10] < 5 else 'NOT met'}")
    if fastest_nuc_10 is not None:
        print(f"  nucleolus n = 10: {fastest_nuc_10[1] / ours_nuc[10]:,.0f}x faster than the fastest peer "
              f"({fastest_nuc_10[0]}, {fastest_nuc_10[1]:.3f} s)")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker(sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "--memory-worker":
        memory_worker(sys.argv[2:])
    else:
        main()
