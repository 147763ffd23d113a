"""The workbook: what the numbered notebooks call. Tooling: never imported by training code, never bundled.

    workbook       plan runs, train through the launcher, summarise, plot, record (the notebooks' API)
    launch         training as a torchrun subprocess in its own process group
    notebook_runs  recorded notebook runs (papermill) and runs/index.jsonl
    commands       the `golfkit run` and `golfkit runs list|compare` commands
    compare        tables, t-tests and loss curves of recorded runs
    stats          seed summaries and the challenge's one-sided tests
    budget         data and byte-budget analyses
    quant_depth    quantization error through depth and format sweeps
    eval_methods   eval methods compared and their legality checks
"""
