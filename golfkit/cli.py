"""The `golfkit` command: train, eval, and data fetch/build/verify.

    golfkit train --preset P [--set key=value]... [--data DIR] [--run-dir DIR]
    golfkit eval --artifact FILE [--data DIR] [--method flat|sliding|doc|ttt-sgd|ttt-lora|ttt-phased] [--set key=value]...
    golfkit data fetch --variant sp1024 --train-shards N [--dir DIR]
    golfkit data build --text FILE --tokenizer MODEL --out DIR [--val-docs N] [--transform lossless_caps_caseops_v1]
    golfkit data verify DIR [--variant sp1024|sp8192_lossless_caps_caseops_v1_reserved] [--extra PATH]...
    golfkit audit FOLDER [--previous PR|FOLDER|LOSS]           (golfkit/lab/audit.py)
    golfkit audit RUN_DIR... [--baseline RUN_DIR...]           (golfkit/lab/run_audit.py)
    golfkit run NOTEBOOK [-p NAME VALUE]... [--run-id ID]      (golfkit/lab/commands.py)
    golfkit runs list | golfkit runs compare A B ...
    golfkit export RUN_DIR --out DIR [--wrapper lzma|lzma-b85|none]     (or --preset P [--set ...] instead of RUN_DIR)

Under torchrun: `torchrun --standalone --nproc_per_node=8 -m golfkit train --preset baseline`.
User mistakes print one line `golfkit: error: ...` and exit 2; no traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from golfkit.errors import GolfkitError, one_line


def _add_train(sub) -> None:
    from golfkit.presets import PRESETS

    p = sub.add_parser("train", help="train, export the artifact, and score its roundtrip",
                       description="Train a model, quantize+compress it into an artifact, reload the artifact "
                                   "from disk and report its val_bpb (the challenge's score).")
    p.add_argument("--preset", default="auto",
                   help=f"starting config: {', '.join(PRESETS)} (default auto: baseline with CUDA, cpu-small without)")
    p.add_argument("--config", help="a config.json to start from instead of a preset")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override a config field by dotted key, e.g. --set model.num_layers=11 (repeatable)")
    p.add_argument("--data", help="data folder in the challenge layout (datasets/, tokenizers/); sets data.dir")
    p.add_argument("--run-dir", help="output folder (default runs/<utc-time>_<preset>_s<seed>)")
    p.add_argument("--print-config", action="store_true", help="print the resolved config as JSON and exit")
    _add_max_params(p)


def _add_max_params(p) -> None:
    from golfkit.config import DEFAULT_MAX_PARAMS

    p.add_argument("--max-params", type=int, default=DEFAULT_MAX_PARAMS, metavar="N",
                   help=f"refuse a model (from the config or an artifact) estimated over N parameters before building "
                        f"it (default {DEFAULT_MAX_PARAMS:,})")


def _add_eval(sub) -> None:
    p = sub.add_parser("eval", help="score an artifact (reproduces the run's final val_bpb)",
                       description="Load an artifact, rebuild its model from the config stored inside it, and "
                                   "evaluate val_loss / val_bpb on the whole validation split.")
    p.add_argument("--artifact", required=True, help="artifact file written by `golfkit train`")
    p.add_argument("--data", help="data folder (default: the run's data.dir when the artifact is in its run folder, "
                                  "else ./data; an artifact stores no paths)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override eval-side config (e.g. eval.batch_tokens=65536, device=cpu)")
    p.add_argument("--method", choices=["flat", "sliding", "doc", "ttt-sgd", "ttt-lora", "ttt-phased"],
                   help="sets eval.method: flat (default), sliding windows, document-isolated, or score-first "
                        "TTT (hyperparameters: --set eval.stride=64, eval.sgd.lr=..., eval.lora.rank=...)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    _add_max_params(p)


def _add_data(sub) -> None:
    p = sub.add_parser("data", help="fetch, build or verify challenge-format data")
    dsub = p.add_subparsers(dest="data_cmd", required=True)
    f = dsub.add_parser("fetch", help="download the challenge export from Hugging Face (needs internet)")
    f.add_argument("--variant", default="sp1024", help="sp1024, sp4096, ... (default sp1024)")
    f.add_argument("--train-shards", type=int, default=80, help="training shards of 100M tokens (default 80)")
    f.add_argument("--dir", default="data", help="destination data folder (default ./data)")
    b = dsub.add_parser("build", help="tokenize text into challenge shards (BOS per document, no EOS)")
    b.add_argument("--text", required=True, help=".jsonl with a 'text' field, or .txt with blank-line-separated docs")
    b.add_argument("--tokenizer", required=True, help="SentencePiece .model")
    b.add_argument("--out", required=True, help="output data folder")
    b.add_argument("--val-docs", type=int, default=0, help="the first N documents form the validation split")
    b.add_argument("--variant", help="dataset name suffix (default sp<vocab>; with the CaseOps transform "
                                     "sp<vocab>_lossless_caps_caseops_v1_reserved, the records' folder name)")
    b.add_argument("--transform", choices=["none", "lossless_caps_caseops_v1"], default="none",
                   help="lossless_caps_caseops_v1: the CaseOps case transform of PR #1855/#2135 before tokenizing "
                        "(needs a CaseOps tokenizer), plus the validation byte sidecar fineweb_val_bytes_N.bin")
    v = dsub.add_parser("verify", help="check every shard and print tokens, documents and bytes per token")
    v.add_argument("dir", help="data folder")
    v.add_argument("--variant", default="sp1024",
                   help="dataset folder suffix: sp1024, sp4096, sp8192_lossless_caps_caseops_v1_reserved, ...")
    v.add_argument("--extra", action="append", default=[], metavar="PATH",
                   help="more validation data to check training against (a shard, a dataset folder, a data root)")
    v.add_argument("--guard-cache", default="~/.cache/golfkit/valguard", help="index cache folder ('' = none)")


def _add_export(sub) -> None:
    p = sub.add_parser("export", help="write a submission folder with one standalone train_gpt.py",
                       description="Bundle the golfkit modules a run needs into one train_gpt.py (minified, by "
                                   "default lzma-compressed in an ASCII stub) with README.md, submission.json, requirements.txt "
                                   "and the run's log; refuses a run whose model + code bytes exceed the budget.")
    p.add_argument("run_dir", nargs="?", help="a finished run folder (config.json, metrics.json, train.log)")
    p.add_argument("--out", required=True, help="submission folder to create")
    p.add_argument("--preset", help="export a preset's config instead of a run (no score, no budget check)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override a field of --preset's config")
    p.add_argument("--wrapper", choices=["lzma", "lzma-b85", "none"], default="lzma",
                   help="lzma: self-extracting lzma stub, base-124 ASCII digits (smallest); lzma-b85: the "
                        "records' printable lzma+base85 stub (8%% larger); none: plain bundle")
    p.add_argument("--name", default="golfkit submission", help="submission name (README, submission.json)")
    p.add_argument("--github-id", default="", help="your GitHub id (submission.json)")
    p.add_argument("--data-dir", default="./data", help="data.dir baked into the script (default ./data)")
    p.add_argument("--force", action="store_true",
                   help="replace --out when it holds an earlier export, unchanged (nothing else is ever replaced)")


def cmd_export(args) -> int:
    from golfkit.export import export_submission

    if bool(args.run_dir) == bool(args.preset):
        raise GolfkitError("export takes a run folder or --preset, not both and not neither")
    if args.run_dir and args.sets:  # a run folder exports the config it trained: --set was dropped without a word
        raise GolfkitError(f"--set changes --preset's config; a run folder exports the config it trained ({args.run_dir}"
                           f"/config.json): train again with --set, or export --preset with it")
    cfg = None
    if args.preset:
        from golfkit import limits
        from golfkit.config import DEFAULT_MAX_PARAMS, parse_set_args
        from golfkit.presets import get_preset

        cfg = get_preset(args.preset).override(parse_set_args(args.sets))
        # the exported script keeps golfkit's ceiling and refuses such a model at its first line: exporting one
        # wrote a submission that could never train
        n = limits.estimate_params(cfg.model)
        if n > DEFAULT_MAX_PARAMS:
            raise GolfkitError(f"--preset {args.preset} declares a model of about {n:,} parameters, over the ceiling "
                               f"of {DEFAULT_MAX_PARAMS:,} that an exported train_gpt.py keeps (it would refuse to "
                               f"train); nothing exported")
    info = export_submission(args.out, cfg=cfg, run_dir=args.run_dir, wrapper=args.wrapper, name=args.name,
                             github_id=args.github_id, data_dir=args.data_dir, force=args.force)
    total = f", model {info['bytes_model']:,} = total {info['bytes_total']:,} bytes" if "bytes_total" in info else ""
    print(f"wrote {args.out}/train_gpt.py: {info['bytes_code']:,} bytes of code ({info['modules']} modules, "
          f"{info['wrapper']} wrapper){total}")
    return 0


def flat_over_budget(res, budget_s: float, action: str):
    """The eval budget for the flat path, which scores in one pass with no clock inside (the other methods check
    theirs between chunks: golfkit.eval.score.Clock): a flat score over budget was printed with exit 0 whatever
    eval.over_budget said."""
    from dataclasses import replace

    if budget_s <= 0 or res.eval_seconds <= budget_s:
        return res
    msg = f"eval method flat took {res.eval_seconds:.1f} s, over its time budget of {budget_s:g} s"
    if action == "stop":
        raise GolfkitError(msg + " (eval.over_budget=stop)")
    print(f"WARNING over_budget: {msg}", file=sys.stderr)
    return replace(res, over_budget=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="golfkit", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    _add_train(sub)
    _add_eval(sub)
    _add_data(sub)
    _add_export(sub)
    # run/runs are listed here for --help only: golfkit.lab.commands parses them and is imported only for
    # those commands (a training process counts every golfkit module it imports as code bytes).
    sub.add_parser("run", add_help=False, help="execute a notebook as a recorded run under runs/<id>/ (run -h)")
    sub.add_parser("runs", add_help=False, help="list and compare recorded runs (runs -h)")
    from golfkit.quant import report  # golfkit quant report RUN_DIR

    report.add_parsers(sub)
    from golfkit.lab import audit  # golfkit audit FOLDER: the challenge's conditions on a submission folder

    audit.add_parser(sub)
    return parser


def resolve_train_config(args):
    from golfkit.config import RunConfig, parse_set_args
    from golfkit.presets import get_preset

    if args.config:
        from golfkit import safeio

        raw = safeio.read_bytes(args.config, "config", safeio.CONFIG_MAX_BYTES)  # no FIFO, device or huge file
        cfg = RunConfig.from_json(raw, f"config {args.config}")
    else:
        cfg = get_preset(args.preset)
    overrides = parse_set_args(args.sets)
    if args.data:
        overrides["data.dir"] = args.data
    return cfg.override(overrides)


def check_output_dir(path: Path, what: str) -> None:
    """A folder golfkit will create or write into: refused when it, or the nearest existing parent, is not a folder."""
    for p in (path, *path.parents):
        if p.exists() or p.is_symlink():
            if not p.is_dir():
                raise GolfkitError(f"{what} {path}: {p} exists and is not a folder")
            return


def cmd_train(args) -> int:
    cfg = resolve_train_config(args)
    if args.print_config:
        print(cfg.to_json())
        return 0
    if args.run_dir:
        check_output_dir(Path(args.run_dir), "--run-dir")
    from golfkit.train import diverged_line, train

    metrics = train(cfg, args.run_dir, max_params=args.max_params)
    if metrics and metrics.get("diverged_step") is not None:
        print(f"golfkit: error: {diverged_line(metrics)}", file=sys.stderr)
        return 1
    return 0 if metrics else 1


def cmd_eval(args) -> int:
    from golfkit import artifact, dist
    from golfkit.config import RunConfig, parse_set_args
    from golfkit.data import find_dataset, load_tokenizer, load_val_tokens, val_byte_counts
    from golfkit.reload import evaluate_artifact

    # the header alone first (validated; tensor data not inflated): the config the model is built from
    header = artifact.read_header(args.artifact, args.max_params)
    overrides = parse_set_args(args.sets)
    if args.data:
        overrides["data.dir"] = args.data
    if args.method:
        overrides["eval.method"] = args.method
    try:
        stored = RunConfig.from_dict(header["config"])
    except GolfkitError as e:
        raise GolfkitError(f"artifact {args.artifact}: its stored config is invalid: {e}") from None
    checked, run_data = run_record_check(Path(args.artifact))
    if not args.data:  # the artifact stores no paths: the data folder of the run that wrote it, else ./data
        overrides.update(run_data)
    cfg = stored.override(overrides)
    notes = stored_score_settings(stored, overrides, args.artifact) + checked
    ctx = dist.init(cfg.device)
    try:
        ds = find_dataset(cfg.data.dir, cfg.data.variant, cfg.data.tokenizer, need_train=False,
                          byte_source=cfg.data.byte_source)
        val = load_val_tokens(ds, cfg.model.vocab_size)
        from golfkit.train import check_eval_batch, device_memory_bytes

        check_eval_batch(cfg, ctx, val, device_memory_bytes(ctx.device))
        luts = val_byte_counts(ds, load_tokenizer(ds.tokenizer, cfg.model.vocab_size), cfg.model.vocab_size, val)
        if ctx.is_main:
            for note in notes:
                print(note, file=sys.stderr if args.json else sys.stdout)
        from golfkit.eval import plain_flat

        if plain_flat(cfg):  # the flat roundtrip `golfkit train` logs first (no temperature, RoPE scaling, tilt)
            res = evaluate_artifact(Path(args.artifact), cfg, ctx, val, luts, args.max_params)
            res = flat_over_budget(res, cfg.eval.time_budget_seconds, cfg.eval.over_budget)
        else:  # sliding / doc / TTT (golfkit/eval/windows.py, golfkit/eval/ttt.py) on the reloaded artifact
            from golfkit.eval import evaluate
            from golfkit.reload import model_from_artifact

            _, model = model_from_artifact(args.artifact, cfg, ctx.device, args.max_params)
            res = evaluate(model, val, luts, cfg, ctx)
    finally:
        dist.shutdown()
    if ctx.is_main:
        if args.json:
            print(json.dumps(res.to_dict()))
        else:
            if cfg.eval.method != "flat":
                print(f"eval_method:{cfg.eval.method} eval_time:{1000 * res.eval_seconds:.0f}ms "
                      f"budget:{cfg.eval.time_budget_seconds:.0f}s over_budget:{res.over_budget}")
            if res.legality_note:
                print(f"not_c1_legal: {res.legality_note}")
            print(f"final_int8_zlib_roundtrip val_loss:{res.val_loss:.4f} val_bpb:{res.val_bpb:.4f} "
                  f"eval_time:{1000 * res.eval_seconds:.0f}ms")
            print(f"final_int8_zlib_roundtrip_exact val_loss:{res.val_loss:.8f} val_bpb:{res.val_bpb:.8f}")
            print(f"val_tokens:{res.val_tokens} val_bytes:{res.val_bytes}")
    return 0


# eval settings that change the score; `golfkit train` scores the artifact flat at temperature 1
SCORE_SETTINGS = ("method", "temperature", "rope_scaling", "seq_len", "stride")


def stored_score_settings(stored, overrides: dict, where: str) -> list[str]:
    """One line per score-changing eval setting the artifact stores (and the command line does not override)."""
    from golfkit.config import EvalConfig

    default = EvalConfig()
    changed = [f"eval.{k}={getattr(stored.eval, k)}" for k in SCORE_SETTINGS
               if getattr(stored.eval, k) != getattr(default, k) and f"eval.{k}" not in overrides]
    if not changed:
        return []
    return [f"note: artifact {where} stores {', '.join(changed)}, which changes the score (defaults: "
            f"{', '.join(f'eval.{k}={getattr(default, k)}' for k in SCORE_SETTINGS)}); override with --set to score "
            f"without it"]


def run_record_check(path: Path) -> tuple[list[str], dict[str, str]]:
    """Compare the artifact with its run's record (metrics.json beside it), when there is one.

    The container's checksum detects corruption only; the run's record is what tells an edited
    artifact from the one the run wrote. Returns notes, and the run's data.dir/tokenizer when the
    artifact and config.json beside it are the ones the record names (golfkit/runrecord.py).
    """
    import hashlib

    from golfkit import artifact, runrecord, safeio
    from golfkit.config import RunConfig

    record = path.parent / "metrics.json"
    if not record.exists():
        return [], {}
    try:
        metrics = runrecord.read_json(record, "run record")[0]
    except GolfkitError as e:
        return [f"note: cannot compare with the run record: {e}"], {}
    want = metrics.get("artifact_sha256")
    if not isinstance(want, str) or Path(str(metrics.get("artifact", ""))).name != path.name:
        return [f"note: the run record {record} has no sha256 for {path.name}"], {}
    have = artifact.file_sha256(path)
    if have != want:
        return [f"WARNING: artifact_sha256:{have} does not match the run record {record} ({want}): "
                f"{path.name} changed after the run wrote it"], {}
    notes, data = [f"artifact_sha256:{have} matches the run record {record}"], {}
    config = path.parent / "config.json"
    if isinstance(metrics.get("config_sha256"), str) and config.is_file():
        try:
            raw = safeio.read_bytes(config, "config", safeio.CONFIG_MAX_BYTES)
            if hashlib.sha256(raw).hexdigest() != metrics["config_sha256"]:
                raise GolfkitError(f"{config} is not the config the run recorded (a mixed run folder)")
            run_cfg = RunConfig.from_json(raw, f"config {config}")
            data = {"data.dir": run_cfg.data.dir, "data.tokenizer": run_cfg.data.tokenizer}
        except GolfkitError as e:
            notes.append(f"WARNING: {e}; its data folder is not used")
    return notes, data


def cmd_data(args) -> int:
    from golfkit import dataprep

    if args.data_cmd == "fetch":
        report = dataprep.fetch(args.variant, args.train_shards, args.dir)
    elif args.data_cmd == "build":
        report = dataprep.build(args.text, args.tokenizer, args.out, args.val_docs, args.variant,
                                transform=args.transform)
    else:
        report = dataprep.verify(args.dir, args.variant)
    print(dataprep.format_report(report))
    if args.data_cmd == "verify":  # fingerprint, canonical split, train/val overlap (golfkit/overlap.py)
        import torch

        from golfkit import overlap

        policy = overlap.Policy(tuple(args.extra), args.guard_cache, workers=torch.get_num_threads())
        extra = overlap.verify_report(args.dir, args.variant, policy)
        print(overlap.format_verify(extra))
        return 1 if any(o["over_threshold"] for o in extra["overlap"]) else 0
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] in (["run"], ["runs"]):
        from golfkit.lab import commands

        args, handler = commands.parse(argv)
    else:
        args = build_parser().parse_args(argv)
        from golfkit.quant.report import cmd_quant

        from golfkit.lab.run_audit import cmd_audit

        handler = {"train": cmd_train, "eval": cmd_eval, "data": cmd_data, "quant": cmd_quant,
                   "export": cmd_export, "audit": cmd_audit}[args.cmd]
    try:
        rc = handler(args)
        sys.stdout.flush()  # here, not at exit: a closed pipe must be caught below
        return rc
    except GolfkitError as e:
        print(f"golfkit: error: {one_line(e)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("golfkit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader of stdout left (`golfkit train --print-config | head -1`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error when Python flushes
        return 141  # 128 + SIGPIPE, as a shell reports a tool that a closed pipe stopped


if __name__ == "__main__":
    sys.exit(main())
