"""The `golfkit run` and `golfkit runs list|compare` subcommands (kept out of cli.py, which others edit).

    golfkit run NOTEBOOK [-p NAME VALUE]... [--run-id ID] [--runs-dir runs] [--timeout S]
    golfkit run NOTEBOOK --sweep GRID.yaml --seeds 1337 42 2025 [-p NAME VALUE]...
    golfkit runs list [--runs-dir runs] [--last N]
    golfkit runs compare A B ... [--key val_bpb] [--plot compare.png] [--allow-mismatch]   (run ids or globs)
    golfkit runs site [--runs-dir runs]                  runs/index.html: every run, linked to its page
    golfkit runs render [RUN_ID ...] [--runs-dir runs]   re-render executed.html from executed.ipynb (no rerun)

Exit status of `run`: 0 ok, 1 failed, 3 killed (the record is written in every case).
"""

from __future__ import annotations

import logging
import math
import sys
from pathlib import Path

from golfkit.errors import GolfkitError

EXIT = {"ok": 0, "failed": 1, "killed": 3}


def add_parsers(sub) -> None:
    r = sub.add_parser("run", help="execute a notebook as a recorded run under runs/<id>/",
                       description="Execute a notebook (.ipynb or py:percent .py) with papermill into "
                                   "runs/<id>/ (params.yaml, executed.ipynb/.html, metrics.json, figures/, "
                                   "env.json) and append a line to runs/index.jsonl.")
    r.add_argument("notebook")
    r.add_argument("-p", "--param", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="set a notebook parameter (True/False/None, numbers, YAML lists like '[1, 2]')")
    r.add_argument("--run-id", help="run folder name (default <utc-time>_<notebook>[_smoke])")
    r.add_argument("--runs-dir", default="runs", help="where run folders and index.jsonl live (default runs)")
    r.add_argument("--timeout", type=float, help="per-cell timeout in seconds; interrupts the kernel (default none)")
    r.add_argument("--sweep", help="YAML list of parameter override sets; each set x each --seeds is one run")
    r.add_argument("--seeds", type=int, nargs="+", help="seeds for --sweep (each run gets seeds=[seed])")
    r.add_argument("--quiet", action="store_true", help="do not stream the notebook's output")
    s = sub.add_parser("runs", help="list, compare, index and re-render recorded runs")
    ssub = s.add_subparsers(dest="runs_cmd", required=True)
    ls = ssub.add_parser("list", help="the runs in runs/index.jsonl")
    ls.add_argument("--runs-dir", default="runs")
    ls.add_argument("--last", type=int, default=0, help="only the last N records")
    c = ssub.add_parser("compare", help="table, t-tests and loss curves of run sets")
    c.add_argument("runs", nargs="+", help="run ids or globs (a glob pools the seeds of its runs)")
    c.add_argument("--runs-dir", default="runs")
    c.add_argument("--key", default="val_bpb", help="metric to compare (default val_bpb; val_loss for nats)")
    c.add_argument("--plot", help="write the loss-curve figure here (PNG)")
    c.add_argument("--json", action="store_true", help="print the comparison as JSON")
    c.add_argument("--allow-mismatch", action="store_true",
                   help="compare runs of different protocols or validation sizes anyway (printed as a warning)")
    st = ssub.add_parser("site", help="write runs/index.html: every run with its title, status, date, commit, "
                                      "protocol, validation targets, headline numbers and a link to its page")
    st.add_argument("--runs-dir", default="runs")
    rd = ssub.add_parser("render", help="re-render runs' executed.html from their executed.ipynb (no rerun)")
    rd.add_argument("run_ids", nargs="*", help="run ids or globs (default: every run in the index)")
    rd.add_argument("--runs-dir", default="runs")


def parse(argv: list[str]):
    """(args, handler) for `golfkit run ...` / `golfkit runs ...` (golfkit.cli.main dispatches here)."""
    import argparse

    parser = argparse.ArgumentParser(prog="golfkit")
    add_parsers(parser.add_subparsers(dest="cmd", required=True))
    args = parser.parse_args(argv)
    return args, {"run": cmd_run, "runs": cmd_runs}[args.cmd]


def _params(pairs: list[list[str]]) -> tuple[dict, dict]:
    """({name: parsed value}, {name: text as given}); the notebook's declared types decide later."""
    from golfkit.lab.notebook_runs import parse_param

    return {name: parse_param(value) for name, value in pairs}, {name: value for name, value in pairs}


def cmd_run(args) -> int:
    from golfkit.lab import notebook_runs

    if not args.quiet:
        # papermill streams cell output through its logger when log_output is set
        logging.basicConfig(format="%(message)s")
        logging.getLogger("papermill").setLevel(logging.INFO)
    params, raw = _params(args.param)
    timeout = args.timeout
    if timeout is not None:
        # papermill's per-cell timeout is an int of seconds: nan, inf or 1.5 failed inside the run (a TraitError
        # recorded as a failed run, its folder written); -1 there means none, which is this option's default
        if not (math.isfinite(timeout) and 0 < timeout <= 2**31):
            raise GolfkitError(f"--timeout must be a number of seconds in (0, 2**31], got {timeout}")
        timeout = math.ceil(timeout)
    kwargs = {"runs_root": args.runs_dir, "timeout": timeout, "log_output": not args.quiet, "raw": raw}
    if args.sweep:
        import yaml

        try:
            grid = yaml.safe_load(Path(args.sweep).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as e:
            raise GolfkitError(f"cannot read sweep file {args.sweep}: {e}") from None
        if not isinstance(grid, list) or not all(isinstance(g, dict) for g in grid):
            raise GolfkitError(f"sweep file {args.sweep} must be a YAML list of mappings (parameter -> value)")
        records = notebook_runs.sweep(args.notebook, grid, args.seeds or [1337], params, args.run_id, **kwargs)
    else:
        records = [notebook_runs.run_notebook(args.notebook, params, args.run_id, **kwargs)]
    for rec in records:
        bpb = f"{rec['val_bpb']:.4f}" if isinstance(rec.get("val_bpb"), float) else "-"
        print(f"run {rec['run_id']}: {rec['status']} val_bpb:{bpb} duration:{rec['duration_s']:.1f}s"
              + (f" ({rec['error']})" if rec.get("error") else ""))
    return max(EXIT[r["status"]] for r in records)


def cmd_runs(args) -> int:
    import json

    from golfkit.lab import notebook_runs

    if args.runs_cmd == "list":
        if args.last < 0:
            raise GolfkitError(f"--last must be >= 0, got {args.last}")
        rows = notebook_runs.read_index(args.runs_dir)
        print(notebook_runs.format_list(rows[-args.last:] if args.last else rows, args.runs_dir))
        return 0
    if args.runs_cmd == "site":
        from golfkit.lab import site

        path, n = site.write_site(args.runs_dir)
        print(f"wrote {path}: {n} runs")
        return 0
    if args.runs_cmd == "render":
        return _render(args)
    from golfkit.lab import compare

    result = compare.compare(args.runs, args.runs_dir, args.key, args.plot, allow_mismatch=args.allow_mismatch)
    for w in result["warnings"]:
        print(f"golfkit: warning: {w}", file=sys.stderr)
    print(json.dumps(result, indent=2, default=str) if args.json else compare.format_compare(result))
    if args.plot:
        print(f"loss curves: {args.plot}")
    return 0


def _render(args) -> int:
    """Re-render executed.html of existing runs from their executed.ipynb (the template, title, header)."""
    import fnmatch

    from golfkit.lab import notebook_runs

    root = Path(args.runs_dir)
    rows = {r["run_id"]: r for r in notebook_runs.read_index(root)}  # the latest record per run id
    patterns = args.run_ids or ["*"]
    chosen = [rid for rid in rows if any(rid == p or fnmatch.fnmatchcase(rid, p) for p in patterns)]
    if not chosen:
        raise GolfkitError(f"no run matches {' '.join(patterns)} in {root / notebook_runs.INDEX}")
    done = 0
    for rid in chosen:
        if (root / rid).is_symlink():  # `golfkit run` makes real folders; a link would write executed.html elsewhere
            print(f"skip {rid}: the run folder is a symbolic link")
            continue
        if not (root / rid / "executed.ipynb").is_file():
            print(f"skip {rid}: no executed.ipynb")
            continue
        try:
            notebook_runs.render_run(root / rid, rows[rid])
        except OSError as e:
            raise GolfkitError(f"cannot write {root / rid / 'executed.html'}: {notebook_runs.describe_oserror(e)}") \
                from None
        except Exception as e:  # nbformat/nbconvert on a damaged notebook
            print(f"skip {rid}: cannot render ({type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''})")
            continue
        done += 1
        print(f"rendered {root / rid / 'executed.html'}")
    print(f"{done} of {len(chosen)} runs rendered")
    return 0
