"""Load the leaderboard records' own `train_gpt.py` next to golfkit, for differential tests.

The records are test fixtures (../shared/reference/records beside the checkout, or
GOLFKIT_TEST_RECORDS): nothing here copies their code; it imports each file as a fresh
module under the environment its run used, with the CUDA-only imports replaced by the
same math in torch, and builds its `GPT` on CPU in fp32.

API (used by tests/test_records.py):

    rec = Record.load("pr1801")          # fresh module, env = the run's (log wins over README)
    rec.h                                # its Hyperparameters, as that run resolved them
    m = rec.build_model(seed=0)          # its GPT on CPU, fp32 params, buffers as the run cast them
    rec.randomize(m, seed=1)             # non-trivial weights (the records' init zeroes outputs)
    z = rec.logits(m, ids, looped=True)  # (B, T, V) fp32 logits of forward_logits
    sd, rep = to_golfkit(rec, m, g)      # the record's weights under golfkit's names
    rows = hparam_table(rec, cfg)        # the record's settings against a RunConfig, one per row

Everything that touches the record runs inside `rec.active()`: its environment variables
(some records read them at call time), the stub modules and torch.compile = identity;
the process environment and sys.modules are restored afterwards.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import math
import os
import re
import shlex
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
import torch.nn.functional as F

REPO = Path(__file__).resolve().parents[1]

# record folder -> golfkit preset it claims to be (None: no preset yet / not a preset)
PRESET_OF = {
    "baseline": "baseline",
    "pr1290": "record-1290",
    "pr1801": "record-1801",
    "pr1855": "record-1855",
    "pr2135": "record-2135",
    "swapp2": "swapp-1xh100",
}
# the log each record's settings are read from (and checked against)
LOG_OF = {
    "baseline": "naive_baseline_train.log",
    "pr1290": "train_seed42.log",
    "pr1801": "train_seed42.log",
    "pr1855": "train_seed42.log",
    "pr2135": "train_seed42.log",
    "swapp2": "train.log",
}
NEW_STYLE = ("pr1787", "pr1801", "pr1855", "pr2135")  # GPT(h) with banks; settings printed in the log


def records_root() -> Path:
    return Path(os.environ.get("GOLFKIT_TEST_RECORDS", REPO.parent / "shared" / "reference" / "records")).resolve()


def data_root() -> Path:
    return Path(os.environ.get("GOLFKIT_TEST_DATA", REPO.parent / "shared" / "data")).resolve()


def have_record(name: str) -> bool:
    return (records_root() / name / "train_gpt.py").is_file()


# ----------------------------------------------------------------------------------
# stubs: FlashAttention 3 as torch SDPA, triton as inert decorators, fused ops refused
# ----------------------------------------------------------------------------------
def flash_attn_func(q, k, v, causal=True, softmax_scale=None, window_size=(-1, -1), **kw):
    """FA3's flash_attn_func on [B, T, H, D] tensors (GQA: fewer K/V heads), in torch SDPA."""
    if window_size not in ((-1, -1), [-1, -1]) or kw.get("softcap", 0.0):
        raise NotImplementedError(f"stub: window_size={window_size} / softcap not supported")
    y = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2),
                                       is_causal=causal, scale=softmax_scale, enable_gqa=k.size(2) != q.size(2))
    return y.transpose(1, 2)


def flash_attn_varlen_func(q, k, v, cu_seqlens_q, cu_seqlens_k, max_seqlen_q=0, max_seqlen_k=0,
                           causal=True, softmax_scale=None, window_size=(-1, -1), **kw):
    """FA3's varlen attention on packed [total, H, D] tensors: causal inside each cu_seqlens segment."""
    assert torch.equal(cu_seqlens_q, cu_seqlens_k)
    n = q.size(0)
    seg = torch.zeros(n, dtype=torch.long, device=q.device)
    cu = cu_seqlens_q.long()
    for i in range(cu.numel() - 1):
        a, b = int(cu[i]), int(cu[i + 1])
        if b > a:
            seg[a:b] = i
    pos = torch.arange(n, device=q.device)
    mask = (seg[:, None] == seg[None, :]) & (pos[None, :] <= pos[:, None] if causal else True)
    y = F.scaled_dot_product_attention(q.transpose(0, 1)[None], k.transpose(0, 1)[None], v.transpose(0, 1)[None],
                                       attn_mask=mask, scale=softmax_scale, enable_gqa=k.size(1) != q.size(1))
    return y[0].transpose(0, 1)


class _Inert:
    """triton.jit / triton.language.* and friends: decorators return the function unchanged."""

    def __init__(self, name: str):
        self._name = name

    def __call__(self, *a, **k):
        if len(a) == 1 and callable(a[0]) and not k:
            return a[0]
        return self

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Inert(f"{self._name}.{name}")

    def __getitem__(self, key):
        return self


class _InertModule(types.ModuleType):
    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Inert(f"{self.__name__}.{name}")


def _stub_modules() -> dict[str, types.ModuleType]:
    fa = types.ModuleType("flash_attn_interface")
    fa.flash_attn_func, fa.flash_attn_varlen_func = flash_attn_func, flash_attn_varlen_func
    mods: dict[str, types.ModuleType] = {"flash_attn_interface": fa}
    for name in ("triton", "triton.language", "triton.tools", "triton.tools.tensor_descriptor"):
        mods[name] = _InertModule(name)
    mods["triton"].language = mods["triton.language"]
    mods["triton"].tools = mods["triton.tools"]
    mods["triton.tools"].tensor_descriptor = mods["triton.tools.tensor_descriptor"]
    return mods


class _NoCustomOp:
    """torch.library.custom_op stand-in: the records' fused Triton CE is CUDA-only (we never call it),
    and a real registration under a fixed name would clash on the second fresh import."""

    def __init__(self, fn):
        self.fn = fn

    def register_fake(self, f):
        return f

    def register_autograd(self, *a, **k):
        return None

    def __call__(self, *a, **k):
        raise RuntimeError("a record's fused Triton op is CUDA-only; the harness scores forward_logits")


class _Stream:  # torch.cuda.Stream stand-in (PR #1855's Optimizers creates one)
    def wait_stream(self, *a):
        return None


@contextlib.contextmanager
def _patched(obj, name, value):
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


@contextlib.contextmanager
def no_pinned_memory():
    """The records' loaders pin their host tensors (`torch.empty(..., pin_memory=True)`, `.pin_memory()`),
    which a CPU-only torch refuses: pinning changes no value, so here it is the identity."""
    empty = torch.empty

    def unpinned_empty(*a, pin_memory=False, **k):
        return empty(*a, **k)

    with _patched(torch, "empty", unpinned_empty), _patched(torch.Tensor, "pin_memory", lambda self, *a, **k: self):
        yield


@contextlib.contextmanager
def environment(env: dict[str, str]):
    """Set exactly these variables (others untouched); restore the process environment afterwards."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update({k: str(v) for k, v in env.items()})
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def stubs(modules: bool = True):
    """Stub modules in sys.modules (only while a record is imported: torch's own lazy imports must
    not see the fake triton), torch.compile = identity, CUDA streams inert; all restored after."""
    import torch._dynamo  # noqa: F401  (torch imports it lazily and probes triton then)

    mods = _stub_modules() if modules else {}
    saved = {k: sys.modules.get(k) for k in mods}
    sys.modules.update(mods)
    identity = lambda fn=None, *a, **k: fn if fn is not None else (lambda f: f)  # noqa: E731
    with contextlib.ExitStack() as st:
        st.enter_context(_patched(torch, "compile", identity))
        st.enter_context(_patched(torch.library, "custom_op", lambda *a, **k: (lambda f: _NoCustomOp(f))))
        st.enter_context(_patched(torch.cuda, "Stream", _Stream))
        st.enter_context(_patched(torch.cuda, "stream", lambda s: contextlib.nullcontext()))
        st.enter_context(_patched(torch.cuda, "current_stream", lambda *a: _Stream()))
        try:
            yield
        finally:
            for k, v in saved.items():
                if v is None:
                    sys.modules.pop(k, None)
                else:
                    sys.modules[k] = v


# ----------------------------------------------------------------------------------
# the environment each run used
# ----------------------------------------------------------------------------------
def env_names(src: str) -> dict[str, str]:
    """attribute -> environment variable, from `attr = ... os.environ.get("VAR" ...` lines."""
    out = {}
    for m in re.finditer(r"^\s+(\w+)\s*=\s*\(?\s*(?:\w+\()*\s*os\.environ\.get\(\s*\n?\s*\"(\w+)\"", src, re.M):
        out.setdefault(m.group(1), m.group(2))
    # multi-line forms: `attr = float(\n        os.environ.get("VAR", ...)`
    for m in re.finditer(r"^\s+(\w+)\s*=\s*\w+\(\s*\n\s*os\.environ\.get\(\"(\w+)\"", src, re.M):
        out.setdefault(m.group(1), m.group(2))
    return out


def log_settings(log: Path) -> dict[str, str]:
    """The `Hyperparameters:` block the new-style records print first in their log."""
    out, inside = {}, False
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("Hyperparameters:"):
            inside = True
            continue
        if inside:
            m = re.match(r"^  (\w+): ?(.*)$", line)
            if not m:
                break
            out[m.group(1)] = m.group(2)
    return out


def readme_env(readme: Path, seed: str = "42") -> dict[str, str]:
    """VAR=VALUE words before the command in the README's run block (SEED=$SEED -> seed)."""
    text = readme.read_text(errors="replace")
    for block in (m.group(2) for m in re.finditer(r"```(\w*)\n(.*?)```", text, re.S)):
        if "train_gpt.py" not in block:
            continue
        words = shlex.split(block.replace("\\\n", " "), comments=True)
        env = {}
        for w in words:
            m = re.fullmatch(r"([A-Z_][A-Z0-9_]*)=(.*)", w)
            if m:
                env[m.group(1)] = seed if m.group(2) == "$SEED" else m.group(2)
        return env
    return {}


_INFRA_ENV = {"RUN_ID", "NCCL_NET", "PYTORCH_CUDA_ALLOC_CONF", "ARTIFACT_DIR", "RANK", "WORLD_SIZE", "LOCAL_RANK"}
_INFRA_ATTRS = {"run_id", "artifact_dir", "logfile", "model_path", "quantized_model_path", "distributed", "rank",
                "world_size", "local_rank", "is_main_process", "grad_accum_steps", "train_files", "val_files",
                "val_bytes_files", "datasets_dir", "tokenizer_path", "data_dir", "data_path"}


def _env_value(v: str) -> str:
    return {"True": "1", "False": "0"}.get(v, v)


def local_data_env(vocab: int) -> dict[str, str]:
    """Point the records' data variables at the offline mini data (read only by their loaders)."""
    d = data_root()
    if vocab == 8192:
        v = "fineweb10B_sp8192_lossless_caps_caseops_v1_reserved"
        return {"DATA_DIR": str(d), "DATA_PATH": str(d / "datasets" / v),
                "TOKENIZER_PATH": str(d / "tokenizers" / "fineweb_8192_bpe_lossless_caps_caseops_v1_reserved.model")}
    return {"DATA_DIR": str(d), "DATA_PATH": str(d / "datasets" / "fineweb10B_sp1024"),
            "TOKENIZER_PATH": str(d / "tokenizers" / "fineweb_1024_bpe.model")}


@dataclass
class RunEnv:
    env: dict[str, str]  # what the harness sets
    source: str  # where it came from
    readme_vs_log: list[tuple[str, str, str]] = field(default_factory=list)  # (VAR, README, log) disagreements


def run_env(name: str) -> RunEnv:
    """The environment of the record's run: README command, then the log's settings (the log wins)."""
    folder = records_root() / name
    src = (folder / "train_gpt.py").read_text()
    readme = folder / "README.md"
    env = readme_env(readme) if readme.is_file() else {}
    source = "README command" if env else "code defaults"
    disagree = []
    log = folder / LOG_OF.get(name, "train_seed42.log")
    settings = log_settings(log) if log.is_file() else {}
    if settings:
        names = env_names(src)
        for attr, val in settings.items():
            var = names.get(attr)
            if var is None or attr in _INFRA_ATTRS:
                continue
            v = _env_value(val)
            if var in env and env[var] != v and _num(env[var]) != _num(v):
                disagree.append((var, env[var], v))
            env[var] = v
        source = (source + " + " if env and source != "code defaults" else "") + f"{log.name} settings (log wins)"
    for k in list(env):
        if k in _INFRA_ENV or k in ("DATA_DIR", "DATA_PATH", "TOKENIZER_PATH"):
            env.pop(k)
    vocab = int(env.get("VOCAB_SIZE", re.search(r'"VOCAB_SIZE", (\d+)', src).group(1)))
    env.update(local_data_env(vocab))
    return RunEnv(env, source, disagree)


def _num(v: str):
    try:
        return float(v)
    except ValueError:
        return v


# ----------------------------------------------------------------------------------
# a record, imported fresh
# ----------------------------------------------------------------------------------
_counter = itertools.count()


class Record:
    """One record's train_gpt.py as a fresh module object, with its run's hyperparameters."""

    def __init__(self, name: str, run: RunEnv, module: types.ModuleType):
        self.name, self.run, self.mod = name, run, module
        with self.active():
            self.h = module.Hyperparameters()

    @classmethod
    def load(cls, name: str, extra_env: dict[str, str] | None = None) -> "Record":
        run = run_env(name)
        if extra_env:
            run = RunEnv({**run.env, **extra_env}, run.source + f" + {sorted(extra_env)}", run.readme_vs_log)
        path = records_root() / name / "train_gpt.py"
        modname = f"golfkit_test_record_{name}_{next(_counter)}"
        spec = importlib.util.spec_from_file_location(modname, path)
        module = importlib.util.module_from_spec(spec)
        with environment(run.env), stubs():
            spec.loader.exec_module(module)
        return cls(name, run, module)

    @contextlib.contextmanager
    def active(self):
        with environment(self.run.env), stubs(modules=False):
            if hasattr(self.mod, "BOS_ID"):
                self.mod.BOS_ID = 1  # set by the records' loaders before any forward
            yield

    @property
    def new_style(self) -> bool:
        return self.name in NEW_STYLE

    # -- the model as main() builds it ----------------------------------------------
    def build_model(self, seed: int = 0, dtypes: str = "as_run") -> torch.nn.Module:
        """The record's GPT as its main() constructs it, on CPU.

        dtypes="as_run": the record's own cast (`.bfloat16()` then its fp32 restore), then every
        *parameter* back to fp32 (we load our own weights); buffers keep the precision the run
        gave them (RoPE inv_freq, PR #1801's frozen carry constants are bf16 in the run).
        dtypes="fp32": everything fp32.
        """
        torch.manual_seed(seed)
        with self.active():
            m = self._construct()
            if dtypes == "as_run":
                m = m.bfloat16()
                self._restore(m)
            for p in m.parameters():
                p.data = p.data.float()
            if dtypes == "fp32":
                for b in m.buffers():
                    if b.is_floating_point():
                        b.data = b.data.float()
            for blk in getattr(m, "blocks", []):
                if hasattr(getattr(blk, "mlp", None), "use_fused"):
                    blk.mlp.use_fused = False  # the Triton fused MLP is CUDA-only; same math unfused
            if hasattr(m, "recur_layers") and hasattr(self.h, "recur_layers"):  # PR #1290: main() sets it
                m.recur_layers = [int(x) for x in self.h.recur_layers.split(",") if x.strip()]
        m.eval()
        return m

    def _construct(self):
        mod, a = self.mod, self.h
        if self.new_style:
            return mod.GPT(a)
        common = dict(vocab_size=a.vocab_size, num_layers=a.num_layers, model_dim=a.model_dim,
                      num_heads=a.num_heads, num_kv_heads=a.num_kv_heads, mlp_mult=a.mlp_mult,
                      tie_embeddings=a.tie_embeddings, tied_embed_init_std=a.tied_embed_init_std,
                      logit_softcap=a.logit_softcap, rope_base=a.rope_base, qk_gain_init=a.qk_gain_init)
        if self.name == "pr1290":  # main(), lines 1814-1839
            return mod.GPT(**common, mtp_num_heads=a.mtp_num_heads, mtp_loss_weight=a.mtp_loss_weight,
                           bigram_vocab_size=a.bigram_vocab_size, bigram_dim=a.bigram_dim, xsa_last_n=a.xsa_last_n,
                           rope_dims=a.rope_dims, ln_scale=a.ln_scale, dtg=a.dtg_enabled, ve_enabled=a.ve_enabled,
                           ve_dim=a.ve_dim, ve_layers=a.ve_layers, gated_attention=a.gated_attention,
                           value_residual=a.value_residual)
        return mod.GPT(**common)  # baseline main() line 826, swapp2 main() line 943

    def _restore(self, m):
        mod = self.mod
        if self.new_style:
            mod.restore_fp32_params(m)
            return
        for name in ("qo_bank", "kv_bank", "mlp_up_bank", "mlp_down_bank"):  # PR #1290 main(), 1840-1843
            if hasattr(m, name):
                getattr(m, name).data = getattr(m, name).data.float()
        for module in m.modules():
            if isinstance(module, mod.CastedLinear):
                module.float()
        mod.restore_low_dim_params_to_fp32(m)

    def param_count(self, m) -> int:
        return sum(p.numel() for p in m.parameters())

    def logged_param_count(self) -> int | None:
        log = records_root() / self.name / LOG_OF.get(self.name, "train_seed42.log")
        m = re.search(r"model_params:(\d+)", log.read_text(errors="replace")) if log.is_file() else None
        return int(m.group(1)) if m else None

    # -- looping ------------------------------------------------------------------------
    def set_looping(self, m, on: bool) -> None:
        if hasattr(m, "set_recurrence_active"):
            m.set_recurrence_active(on)
        elif hasattr(m, "looping_active"):
            m.looping_active = on and getattr(self.h, "num_loops", 0) > 0

    def loops(self) -> bool:
        return bool(getattr(self.h, "num_loops", 0) or getattr(self.h, "recur_layers", ""))

    # -- forward --------------------------------------------------------------------------
    @torch.no_grad()
    def logits(self, m, ids: torch.Tensor, looped: bool = False, cu_seqlens=None) -> torch.Tensor:
        with self.active():
            self.set_looping(m, looped)
            for blk in m.blocks:  # the rotary caches are keyed on length; never reuse another length's table
                r = blk.attn.rotary
                r._cos_cached, r._sin_cached, r._seq_len_cached = None, None, 0
            if hasattr(m, "forward_logits"):
                kw = {"cu_seqlens": cu_seqlens, "max_seqlen": ids.size(1)} if cu_seqlens is not None else {}
                return m.forward_logits(ids, **kw).float()
            return _logits_from_loss_model(self.mod, m, ids)

    # -- weights -------------------------------------------------------------------------
    @torch.no_grad()
    def randomize(self, m, seed: int = 1) -> None:
        """Weights far from init so every path matters: matrices N(0, 1/fan_in), control tensors
        init + N(0, 0.1^2) (gates N(0, 1)), so zero-init outputs, unit scales and identity gates all move."""
        g = torch.Generator().manual_seed(seed)
        for name, p in m.named_parameters():
            if p.ndim >= 2 and p.numel() > 4096 and "lambdas" not in name:
                fan_in = p.shape[-1]
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(fan_in))
                if name == "tok_emb.weight":
                    p.mul_(math.sqrt(fan_in) * 0.05)
            elif "gate" in name or "smear" in name:
                p.copy_(torch.randn(p.shape, generator=g))
            else:
                p.add_(0.1 * torch.randn(p.shape, generator=g))


def _logits_from_loss_model(mod, m, ids):
    """Logits of the records whose GPT.forward only returns the loss (baseline, swapp2): the same
    forward up to the head, replayed from its own modules (forward lines cited in the caller's table)."""
    x = m.tok_emb(ids)
    x = F.rms_norm(x, (x.size(-1),))
    if hasattr(m, "smear"):
        x = m.smear(x)
    x0, skips = x, []
    for i in range(m.num_encoder_layers):
        x = m.blocks[i](x, x0)
        skips.append(x)
    for i in range(m.num_decoder_layers):
        if skips:
            x = x + m.skip_weights[i].to(dtype=x.dtype)[None, None, :] * skips.pop()
        x = m.blocks[m.num_encoder_layers + i](x, x0)
    x = m.final_norm(x)
    z = F.linear(x, m.tok_emb.weight) if m.tie_embeddings else m.lm_head(x)
    return (m.logit_softcap * torch.tanh(z / m.logit_softcap)).float()


# ----------------------------------------------------------------------------------
# record weights -> golfkit names
# ----------------------------------------------------------------------------------
@dataclass
class Mapping:
    state: dict[str, torch.Tensor]  # golfkit name -> tensor (the record's values)
    record_only: list[str]  # record tensors with no golfkit counterpart (dropped)
    golfkit_only: list[str]  # golfkit tensors the record does not have (left at golfkit's init)
    notes: list[str]
    names: dict[str, list[str]] = field(default_factory=dict)  # record name -> golfkit names it fills


# golfkit tensors that hold a record tensor's values in another element order (the transposes in to_golfkit):
# golfkit array -> the same values in the record's order. PR #1787's parallel_post_lambdas is
# [layer, source, lane]; golfkit's lane_post (two_lane_form="pr1787") is [layer, lane, source].
TO_RECORD_ORDER = {"lane_post": lambda a: a.swapaxes(1, 2)}


def to_golfkit(rec: Record, m, g, src: dict[str, torch.Tensor] | None = None) -> Mapping:
    """The record model's tensors under golfkit's state-dict names (shapes adapted, nothing invented).

    `src`: other tensors under the record's names (e.g. its gradients) mapped the same way."""
    src = {k: v.detach().clone().float() for k, v in (m.state_dict() if src is None else src).items()}
    gsd = g.state_dict()
    out: dict[str, torch.Tensor] = {}
    notes: list[str] = []
    used: set[str] = set()
    names: dict[str, list[str]] = {}

    def put(gname: str, rname: str, t: torch.Tensor | None = None):
        t = src[rname] if t is None else t
        if gname not in gsd:
            return
        names.setdefault(rname, []).append(gname)
        if gsd[gname].shape != t.shape:
            if gsd[gname].numel() == t.numel():
                t = t.reshape(gsd[gname].shape)
            elif gname in ("skip_weights", "skip_gates") and t.shape[1:] == gsd[gname].shape[1:] \
                    and t.shape[0] < gsd[gname].shape[0]:
                full = g.state_dict()[gname].clone()
                full[: t.shape[0]] = t
                notes.append(f"{rname}: the record has {t.shape[0]} rows, golfkit {gsd[gname].shape[0]}; "
                             f"rows {t.shape[0]}.. keep golfkit's init")
                t = full
            else:
                notes.append(f"{rname} {tuple(t.shape)} vs golfkit {gname} {tuple(gsd[gname].shape)}: "
                             f"shapes differ; golfkit keeps its init")
                used.add(rname)
                return
        out[gname] = t
        used.add(rname)

    n = getattr(rec.h, "num_layers", 0)
    for rname, t in src.items():
        if rname in ("qo_bank", "kv_bank", "mlp_up_bank", "mlp_down_bank"):
            for i in range(n):
                if rname == "qo_bank":
                    put(f"blocks.{i}.attn.c_q.weight", rname, t[i])
                    put(f"blocks.{i}.attn.proj.weight", rname, t[n + i])
                elif rname == "kv_bank":
                    put(f"blocks.{i}.attn.c_k.weight", rname, t[i])
                    put(f"blocks.{i}.attn.c_v.weight", rname, t[n + i])
                elif rname == "mlp_up_bank":
                    put(f"blocks.{i}.mlp.fc.weight", rname, t[i])
                else:
                    put(f"blocks.{i}.mlp.proj.weight", rname, t[i])
        elif m_ := re.fullmatch(r"blocks\.(\d+)\.mlp\.up\.weight", rname):  # swapp2 SwiGLU W3
            put(f"blocks.{m_.group(1)}.mlp.fc.weight", rname)
        elif m_ := re.fullmatch(r"blocks\.(\d+)\.attn\.attn_gate_w", rname):
            put(f"blocks.{m_.group(1)}.attn.switches.gate_w", rname)
        elif rname == "bigram.embed.weight":
            put("frontend.bigram.table", rname)
        elif rname.startswith("bigram."):
            put("frontend." + rname, rname)
        elif rname == "ve_shared.embed.weight":
            put("frontend.ve.table", rname)
        elif rname.startswith("ve_shared."):
            put("frontend.ve." + rname[len("ve_shared."):], rname)
        elif m_ := re.fullmatch(r"ve_layer_scales\.(\d+)", rname):
            layer = [int(x) for x in rec.h.ve_layers.split(",") if x.strip()][int(m_.group(1))]
            put(f"blocks.{layer}.attn.switches.ve_scale", rname)
        elif rname == "smear.gate":  # SmearGate v1 (PR #1290, swapp1990#2)
            put("frontend.smear.gate", rname)
        elif rname == "smear_gate.weight":
            put("frontend.smear.weight", rname)
        elif rname == "smear_lambda":
            put("frontend.smear.lam", rname)
        elif rname == "parallel_post_lambdas":  # record [i, source, lane]; golfkit lane_post[i, lane, source]
            if "lane_post" in gsd:  # model.two_lane_form="pr1787": every layer, as the record
                put("lane_post", rname, t.transpose(1, 2).contiguous())
            for i in range(n):
                put(f"blocks.{i}.lane_post", rname, t[i].t().contiguous())
        elif rname == "parallel_resid_lambdas":
            if "lane_resid" in gsd:
                put("lane_resid", rname)
            for i in range(n):
                put(f"blocks.{i}.lane_resid", rname, t[i])
        elif rname in gsd:
            put(rname, rname)
    record_only = sorted(k for k in src if k not in used)
    for k in ("parallel_post_lambdas", "parallel_resid_lambdas"):
        if k in src and k in used and "lane_post" not in gsd:
            p = getattr(rec.h, "parallel_start_layer", 0)
            notes.append(f"{k}: rows 0..{p - 1} exist in the record but are never read (golfkit has no "
                         f"lane parameters below parallel_start)")
    golfkit_only = sorted(k for k in gsd if k not in out)
    return Mapping(out, record_only, golfkit_only, notes, names)


# ----------------------------------------------------------------------------------
# optimizer routing: which optimizer, learning rate and weight decay each tensor gets
# ----------------------------------------------------------------------------------
def _route_table(opts) -> dict[int, tuple[str, float, float]]:
    out = {}
    for o in opts:
        kind = "muon" if type(o).__name__ == "Muon" else "adam"
        for grp in o.param_groups:
            for p in grp["params"]:
                out[id(p)] = (kind, float(grp.get("base_lr", grp["lr"])), float(grp.get("weight_decay", 0.0)))
    return out


def record_optimizers(rec: Record, m) -> list:
    """The record's optimizers over model m, as its training builds them: new-style records' own
    `Optimizers`; PR #1290 and swapp1990#2 as their main() does (lines cited in record_routing)."""
    h, mod = rec.h, rec.mod
    with rec.active():
        if rec.new_style:
            return mod.Optimizers(h, m).optimizers
        pats = mod.CONTROL_TENSOR_NAME_PATTERNS
        blk = list(m.blocks.named_parameters())
        scalar = [p for n, p in blk if p.ndim < 2 or any(q in n for q in pats)]
        if m.skip_weights.numel() > 0:
            scalar.append(m.skip_weights)
        token_lr = h.tied_embed_lr if h.tie_embeddings else h.embed_lr
        adam = dict(betas=(h.beta1, h.beta2), eps=h.adam_eps, fused=True)
        if rec.name == "pr1290":  # main(), lines 1862-1905
            scalar.append(m.smear.gate)
            tok = [{"params": [m.tok_emb.weight], "lr": token_lr}]
            if m.bigram is not None:
                scalar.append(m.bigram.scale)
                tok.append({"params": [m.bigram.embed.weight], "lr": token_lr})
                scalar.append(m.bigram.proj.weight)
            if m.ve_shared is not None:
                tok.append({"params": [m.ve_shared.embed.weight], "lr": token_lr})
                scalar += [m.ve_shared.proj.weight, m.ve_shared.scale, *m.ve_layer_scales]
            return [torch.optim.AdamW(tok, weight_decay=h.adam_wd, **adam),
                    mod.Muon([m.qo_bank, m.kv_bank, m.mlp_up_bank, m.mlp_down_bank], lr=h.matrix_lr,
                             momentum=h.muon_momentum, backend_steps=h.muon_backend_steps, weight_decay=h.muon_wd),
                    torch.optim.AdamW([{"params": scalar, "lr": h.scalar_lr}], weight_decay=h.adam_wd, **adam)]
        # baseline and swapp1990#2 main(): Adam (no weight decay), their Muon without weight decay
        matrix = [p for n, p in blk if p.ndim == 2 and not any(q in n for q in pats)]
        return [torch.optim.Adam([{"params": [m.tok_emb.weight], "lr": token_lr}], **adam),
                mod.Muon(matrix, lr=h.matrix_lr, momentum=h.muon_momentum, backend_steps=h.muon_backend_steps),
                torch.optim.Adam([{"params": scalar, "lr": h.scalar_lr}], **adam)]


def record_routing(rec: Record, m) -> dict[str, tuple[str, float, float] | None]:
    """record parameter -> (muon|adam, lr, weight decay) as its training builds the optimizers; None = in none."""
    h, mod = rec.h, rec.mod
    if rec.new_style:
        with rec.active():
            opts = mod.Optimizers(h, m).optimizers
    else:
        # the records' main(): PR #1290 lines 1858-1925, baseline/swapp2 their main() optimizer split
        # (replicated: main() cannot run on CPU). Adam == AdamW with weight decay 0.
        pats = mod.CONTROL_TENSOR_NAME_PATTERNS
        blk = list(m.blocks.named_parameters())
        scalar = [p for n, p in blk if p.ndim < 2 or any(q in n for q in pats)]
        if m.skip_weights.numel() > 0:
            scalar.append(m.skip_weights)
        wd = getattr(h, "adam_wd", 0.0)
        token_lr = h.tied_embed_lr if h.tie_embeddings else h.embed_lr
        tok = [m.tok_emb.weight]
        if rec.name == "pr1290":
            matrix = [m.qo_bank, m.kv_bank, m.mlp_up_bank, m.mlp_down_bank]
            scalar.append(m.smear.gate)
            if m.bigram is not None:
                scalar.append(m.bigram.scale)
                tok.append(m.bigram.embed.weight)
                scalar.append(m.bigram.proj.weight)
            if m.ve_shared is not None:
                tok.append(m.ve_shared.embed.weight)
                scalar += [m.ve_shared.proj.weight, m.ve_shared.scale, *m.ve_layer_scales]
            muon_wd = h.muon_wd
        else:
            matrix = [p for n, p in blk if p.ndim == 2 and not any(q in n for q in pats)]
            muon_wd = 0.0  # neither the baseline's nor swapp2's Muon applies weight decay
        opts = [torch.optim.AdamW([{"params": tok, "lr": token_lr}], weight_decay=wd),
                torch.optim.AdamW([{"params": scalar, "lr": h.scalar_lr}], weight_decay=wd)]
        table = _route_table(opts)
        table.update({id(p): ("muon", float(h.matrix_lr), float(muon_wd)) for p in matrix})
        return {n: table.get(id(p)) for n, p in m.named_parameters()}
    table = _route_table(opts)
    return {n: table.get(id(p)) for n, p in m.named_parameters()}


def golfkit_routing(cfg, g) -> dict[str, tuple[str, float, float]]:
    from golfkit.optim import build_optimizers

    opts = build_optimizers(g.param_groups(), cfg.optim, cfg.model.tie_embeddings, fused=False)
    table = _route_table(opts)
    return {n: table.get(id(p)) for n, p in g.named_parameters()}


# ----------------------------------------------------------------------------------
# golfkit side
# ----------------------------------------------------------------------------------
def golfkit_model(cfg, looped: bool):
    from golfkit.model import GPT

    g = GPT(cfg.model)
    g.looping_active = looped and g.loop is not None
    g.eval()
    return g


@torch.no_grad()
def golfkit_logits(g, ids: torch.Tensor, looped: bool) -> torch.Tensor:
    g.looping_active = looped and g.loop is not None
    return g(ids).float()


def val_tokens(vocab: int, n: int) -> torch.Tensor | None:
    """The first n validation tokens of the offline data for this vocabulary (None when absent)."""
    d = data_root() / "datasets"
    f = (d / "fineweb10B_sp8192_lossless_caps_caseops_v1_reserved" / "fineweb_val_000000.bin" if vocab == 8192
         else d / "fineweb10B_sp1024" / "fineweb_val_000000.bin")
    if not f.is_file():
        return None
    toks = np.fromfile(f, dtype="<u2", offset=256 * 4, count=n)
    return torch.from_numpy(toks.astype(np.int64))


# ----------------------------------------------------------------------------------
# hyperparameter table
# ----------------------------------------------------------------------------------
@dataclass
class Row:
    setting: str  # the record's name for it
    record: Any
    key: str  # golfkit's config key ("" = none)
    golfkit: Any
    status: str  # equal | declared | DIFF | MISSING | n/a
    note: str = ""


def _get(cfg, key: str):
    obj = cfg
    for part in key.split("."):
        obj = getattr(obj, part)
    return obj


def _same(a, b) -> bool:
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-12, abs_tol=1e-15)
    return a == b


def hparam_rows(rec: Record) -> list[tuple[str, Any, str, Callable | None, str]]:
    """(record setting, its value in this run, golfkit key, value transform, note) per setting.

    Key "" = golfkit has no counterpart (MISSING unless the value is the feature's off value).
    Sources: the record's Hyperparameters as resolved by its run env, plus facts of its code
    that are not settings (cited with line numbers of its train_gpt.py).
    """
    import records_facts

    return records_facts.rows(rec)


def hparam_table(rec: Record, cfg, declared: dict[str, str] | None = None) -> list[Row]:
    declared = declared or {}
    out = []
    for setting, value, key, transform, note in hparam_rows(rec):
        want = transform(value) if transform else value
        if key == "":
            status = "n/a" if note.startswith(("off", "same")) else "MISSING"
            out.append(Row(setting, value, "", None, status, note))
            continue
        if key.startswith("("):  # a difference no config key expresses: declared with its reason, or missing
            out.append(Row(setting, value, key, None, "declared" if key in declared else "MISSING",
                           declared.get(key, "no golfkit counterpart")))
            continue
        have = _get(cfg, key)
        if _same(want, have):
            status = "equal"
        elif key in declared:
            status, note = "declared", declared[key]
        else:
            status = "DIFF"
        out.append(Row(setting, want, key, have, status, note))
    return out


def format_table(rows: list[Row]) -> str:
    w = [max(len(str(getattr(r, f))) for r in rows + [Row("record setting", "record", "golfkit key", "golfkit",
                                                          "status")]) for f in ("setting", "record", "key", "golfkit")]
    w = [min(x, 40) for x in w]
    lines = []
    for r in [Row("record setting", "record", "golfkit key", "golfkit", "status")] + rows:
        cells = [str(getattr(r, f))[:40].ljust(n) for f, n in zip(("setting", "record", "key", "golfkit"), w)]
        lines.append(" | ".join(cells + [r.status.ljust(8), r.note]))
    return "\n".join(lines)
