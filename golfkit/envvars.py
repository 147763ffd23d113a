"""The challenge's environment variables and the config fields they set (read by golfkit/submission.py).

A table of its own, below the training code, so that the exporter can read it without importing
a training run: an exported train_gpt.py ships the ranges of exactly these fields (golfkit/export.py).
"""

# the reference train_gpt.py's Hyperparameters (openai/parameter-golf), by environment variable
ENV_FIELDS = {
    "SEED": "seed",
    "ITERATIONS": "schedule.iterations",
    "WARMDOWN_ITERS": "schedule.warmdown_iters",
    "WARMUP_STEPS": "schedule.warmup_steps",
    "TRAIN_BATCH_TOKENS": "schedule.train_batch_tokens",
    "TRAIN_SEQ_LEN": "schedule.train_seq_len",
    "MAX_WALLCLOCK_SECONDS": "schedule.max_wallclock_seconds",
    "VAL_LOSS_EVERY": "schedule.val_loss_every",
    "TRAIN_LOG_EVERY": "schedule.train_log_every",
    "VAL_BATCH_SIZE": "eval.batch_tokens",
    "VOCAB_SIZE": "model.vocab_size",
    "NUM_LAYERS": "model.num_layers",
    "MODEL_DIM": "model.model_dim",
    "NUM_HEADS": "model.num_heads",
    "NUM_KV_HEADS": "model.num_kv_heads",
    "MLP_MULT": "model.mlp_mult",
    "TIE_EMBEDDINGS": "model.tie_embeddings",
    "ROPE_BASE": "model.rope_base",
    "LOGIT_SOFTCAP": "model.logit_softcap",
    "QK_GAIN_INIT": "model.qk_gain_init",
    "TIED_EMBED_INIT_STD": "model.tied_embed_init_std",
    "EMBED_LR": "optim.embed_lr",
    "HEAD_LR": "optim.head_lr",
    "TIED_EMBED_LR": "optim.tied_embed_lr",
    "MATRIX_LR": "optim.matrix_lr",
    "SCALAR_LR": "optim.scalar_lr",
    "MUON_MOMENTUM": "optim.muon_momentum",
    "MUON_BACKEND_STEPS": "optim.muon_backend_steps",
    "MUON_MOMENTUM_WARMUP_START": "optim.muon_momentum_warmup_start",
    "MUON_MOMENTUM_WARMUP_STEPS": "optim.muon_momentum_warmup_steps",
    "BETA1": "optim.beta1",
    "BETA2": "optim.beta2",
    "ADAM_EPS": "optim.adam_eps",
    "GRAD_CLIP_NORM": "optim.grad_clip_norm",
}
