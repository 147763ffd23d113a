"""`golfkit runs site`: runs/index.html, one page that links every recorded run.

One row per run id of runs/index.jsonl (its latest record), newest first: the notebook's title,
status, date, commit, protocol (golfkit.lab.runinfo), validation targets, headline numbers and a
link to the run's executed.html; then the other folders under runs/ (training runs, benchmarks)
with links to their records. Links are relative, so the folder can be opened from disk, served as
static files or committed as is. The page is a Jinja template (nbconvert's own template engine).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from golfkit.atomic import atomic_write
from golfkit.errors import GolfkitError
from golfkit.lab import runinfo
from golfkit.lab.notebook_runs import INDEX, check_runs_root, describe_oserror, read_index

RECORD_FILES = ("metrics.json", "summary.json", "train.log", "config.json")

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>golfkit runs</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5em 2em; color: #1b1b1b; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
p.note { color: #555; margin-top: 0; font-size: 0.92em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { text-align: left; padding: 0.35em 0.6em; border-bottom: 1px solid #e2e2e2; vertical-align: top; }
th { background: #f4f4f4; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ok { color: #17692a; font-weight: 600; } .failed, .killed { color: #a4161a; font-weight: 600; }
.proto { display: inline-block; padding: 0 0.4em; border-radius: 0.3em; background: #eee; }
.proto-smoke { background: #fde2e2; } .proto-reduced { background: #fff1c2; }
.proto-trained { background: #dcf3dc; } .proto-full { background: #d6e8fb; }
code { font-size: 0.9em; } .sub { color: #666; font-size: 0.85em; }
</style>
</head>
<body>
<h1>golfkit runs</h1>
<p class="note">{{ runs|length }} recorded notebook runs from {{ index }}, newest first; written {{ written }}.
Protocols: <span class="proto proto-smoke">smoke</span> checks the code path only (numbers are meaningless),
<span class="proto proto-reduced">reduced</span> a shortened schedule or a cut validation split,
<span class="proto proto-trained">trained</span> reduced, with every validation curve flat over its last 20% of steps,
<span class="proto proto-full">full</span> the notebook's own defaults; a named protocol (<code>cpu-trained</code>) is the
workbook's own setting, with the steps it ran. <b>plateau</b>: the largest fall of validation loss over the last 20% of a
training's constant-learning-rate phase, and how many of the run's trainings fell under {{ '%g'|format(bar_pct) }}%, the workbook's bar
for a flattened curve. Numbers from CPU runs are CPU-scale, mini data.</p>
<table>
<thead><tr><th>run</th><th>status</th><th>date</th><th>commit</th><th>protocol</th><th>plateau</th><th>val targets</th>
<th>headline val_bpb</th><th>bytes</th><th>trainings</th><th>duration</th></tr></thead>
<tbody>
{% for r in runs %}<tr>
<td>{% if r.html %}<a href="{{ r.html|e }}">{{ r.title|e }}</a>{% else %}{{ r.title|e }}{% endif %}<br><span class="sub">{{ r.run_id|e }}</span>{% if r.variants %}<br><span class="sub">part: {{ r.variants|join(', ')|e }} only (<code>-p variants</code>)</span>{% endif %}</td>
<td class="{{ r.status|e }}">{{ r.status|e }}{% if r.error %}<br><span class="sub">{{ r.error|truncate(120)|e }}</span>{% endif %}</td>
<td>{{ (r.started or '')[:10]|e }}</td>
<td>{% if r.commit %}<code>{{ r.commit[:10]|e }}</code>{% if r.dirty %}<span class="sub"> +changes</span>{% endif %}{% else %}-{% endif %}</td>
<td><span class="proto proto-{{ r.protocol|e }}">{{ r.protocol|e }}</span>{% if r.steps %}<br><span class="sub">{{ r.steps|join('/') }} steps</span>{% endif %}</td>
<td class="num">{% if r.plateau_max_pct is not none %}<span class="{{ 'ok' if r.plateau_met is not none and r.plateau_met == r.plateau_n else 'failed' }}">{{ '%.2f'|format(r.plateau_max_pct) }}%</span>{% if r.plateau_met is not none %}<br><span class="sub">{{ r.plateau_met }}/{{ r.plateau_n }} under {{ '%g'|format(bar_pct) }}%</span>{% endif %}{% else %}-{% endif %}</td>
<td class="num">{{ '{:,}'.format(r.val_targets) if r.val_targets else '-' }}</td>
<td class="num">{% if r.val_bpb is not none %}{{ '%.4f'|format(r.val_bpb) }}{% if r.val_bpb_std is not none and r.seeds and r.seeds > 1 %} ± {{ '%.4f'|format(r.val_bpb_std) }}<br><span class="sub">{{ r.headline|e if r.headline else '' }} std, {{ r.seeds }} seeds</span>{% elif r.headline %}<br><span class="sub">{{ r.headline|e }}</span>{% endif %}{% else %}-{% endif %}</td>
<td class="num">{{ '{:,}'.format(r.bytes_total|int) if r.bytes_total else '-' }}</td>
<td class="num">{{ r.trainings or '-' }}</td>
<td class="num">{{ '%.0f s'|format(r.duration_s) if r.duration_s is not none else '-' }}</td>
</tr>
{% endfor %}</tbody>
</table>
{% if others %}
<h2 style="font-size:1.15em">Other run folders</h2>
<p class="note">Training runs, ablations and benchmarks not made by <code>golfkit run</code>.</p>
<ul>
{% for o in others %}<li><code>{{ o.name|e }}</code>{% for f in o.files %} · <a href="{{ f|e }}">{{ f.split('/')[-1]|e }}</a>{% endfor %}</li>
{% endfor %}</ul>
{% endif %}
</body>
</html>
"""


def site_rows(root: Path) -> list[dict[str, Any]]:
    """One summary per run id (its latest index record), newest first."""
    latest = {r["run_id"]: r for r in read_index(root)}
    rows = [runinfo.summary(root, r) for r in latest.values()]
    return sorted(rows, key=lambda r: str(r.get("started") or ""), reverse=True)


def other_folders(root: Path, listed: set[str]) -> list[dict[str, Any]]:
    """Folders under runs/ that are not notebook runs, with their record files (up to two levels down)."""
    out = []
    for d in sorted(p for p in root.iterdir() if p.is_dir() and p.name not in listed and not p.name.startswith(".")):
        files = [f"{d.name}/{name}" for name in RECORD_FILES if (d / name).is_file()]
        if not files:
            files = [f"{d.name}/{sub.name}/{name}" for sub in sorted(d.iterdir())[:40] if sub.is_dir()
                     for name in RECORD_FILES[:1] if (sub / name).is_file()]
        out.append({"name": d.name, "files": files[:40]})
    return out


def write_site(runs_root: str | Path = "runs") -> tuple[Path, int]:
    """Write runs_root/index.html; (its path, the number of runs listed)."""
    import jinja2

    root = check_runs_root(runs_root)
    if not root.is_dir():
        raise GolfkitError(f"no runs folder {root} (--runs-dir)")
    rows = site_rows(root)
    page = jinja2.Environment(autoescape=False).from_string(PAGE).render(
        runs=rows, others=other_folders(root, {r["run_id"] for r in rows}), index=INDEX,
        bar_pct=100 * runinfo.FLAT_GAIN,
        written=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    out = root / "index.html"
    try:
        atomic_write(out, page)
    except OSError as e:
        raise GolfkitError(f"cannot write {out}: {describe_oserror(e)}") from None
    return out, len(rows)
