"""golfkit: a research workbook for OpenAI's Parameter Golf challenge.

Thin modules, one job each:
    config     typed RunConfig, JSON round trip, dotted-key overrides
    presets    baseline / cpu-small / smoke
    data       challenge shards, train loader, byte tables (bpb accounting)
    dataprep   data fetch / build / verify
    model      the baseline GPT with explicit optimizer routing
    optim      Muon (sharded DDP update) + Adam split + schedules
    quant      state dict -> quantized tensors (baseline int8) and back
    compress   byte compressors by name
    artifact   the pickle-free artifact file
    eval       val_loss / val_bpb over the whole split
    train      the loop (CPU/CUDA, torchrun DDP), export, roundtrip
    dist       torchrun environment and collectives
    runlog     train.log, metrics.jsonl, config/env/metrics.json
    export     a run -> a submission folder with one standalone train_gpt.py
    submission the entry point inside an exported train_gpt.py (the challenge's env vars)
    cli        the `golfkit` command
"""

__version__ = "0.1.0"
