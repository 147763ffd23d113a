"""golfkit: a research workbook for OpenAI's Parameter Golf challenge.

Dependencies run one way, top to bottom; golfkit/README.md maps the tree a module a line, and
tests/test_layering.py guards it (no import cycles, every module imports on its own). The core
(everything but the tooling below) is what an exported train_gpt.py bundles, and only the parts
a run's config switches on (golfkit/export.py).

    errors, atomic        GolfkitError; atomic file writes
    config, config_parse  the typed RunConfig, JSON round trip, dotted-key overrides and their parsing
    presets, techniques   named configs (baseline, cpu-small, smoke, records); the switch registry
    data, dist            challenge shards, loader, byte tables; torchrun environment and collectives
    artifact, compress    the pickle-free artifact container; byte compressors by name
    model/                the network: base -> attention -> blocks -> gpt, technique modules beside
    eval/                 scoring (score, flat), sliding/doc windows, score-first TTT
    quant/                weights -> artifact: int8, policy formats, GPTQ, calibration, QAT, report
    reload                artifact -> model -> score (never imports the training loop)
    session, optim, averaging, train   the training session and hooks, Muon/Adam, EMA/SWA/LAWA, the loop
    runlog, submission    train.log / metrics files; the entry point inside an exported train_gpt.py
    export, treeshake     tooling: the exporter, and the pruner of what its bundle never reaches
    cli, __main__, dataprep            tooling: the `golfkit` command, data fetch/build
    runrecord             tooling: a run folder's files checked against its metrics.json
    lab/                  tooling: notebook runs, launcher, comparisons, statistics, analyses
"""

__version__ = "0.1.0"

# Modules a submission never ships, by name prefix: the command line, data preparation, the
# exporter and its tree shaker, the notebook workbook, and the validation guard (it protects a golfkit user's data folder; a
# submission trains on the graders' canonical data). Everything else a run imports is counted as code.
TOOLING_MODULES = ("golfkit.cli", "golfkit.__main__", "golfkit.dataprep", "golfkit.export", "golfkit.lab",
                   "golfkit.overlap", "golfkit.runrecord", "golfkit.treeshake")


def is_tooling(name: str) -> bool:
    """Whether module `name` is tooling (never bundled into a submission, never counted)."""
    return any(name == t or name.startswith(t + ".") for t in TOOLING_MODULES)
