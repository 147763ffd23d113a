"""Executable specs of the record semantics golfkit's model lacks, as test-only monkeypatches.

Each patch puts one record behaviour into golfkit's forward (never into golfkit's files), so a test
can show that the listed differences are *all* the differences: with every patch of a record on,
golfkit's logits equal the record's bit for bit (test_records.py::test_listed_differences_explain_logits),
and with one patch at a time off, how much that difference alone moves the logits (the measurements in
the records' difference list). The follow-up turns each patch into a golfkit switch and deletes it here.

A patch is `(name, factory)`; `factory(ctx)` returns a context manager, where ctx holds the record,
the record's model, golfkit's model and the sequence length.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Any, Callable

import torch
import torch.nn.functional as F

import golfkit.model.attention_variants as av
import golfkit.model.parallel_blocks as gl


@dataclass
class Ctx:
    rec: Any  # records_harness.Record
    m: Any  # the record's model
    g: Any  # golfkit's GPT
    T: int
    looped: bool


@contextlib.contextmanager
def _setattr(obj, name, value):
    """Set obj.name for the duration; a buffer or an instance attribute is put back, a new one removed."""
    buffers = getattr(obj, "_buffers", {})
    if name in buffers or name in vars(obj):
        old = buffers[name] if name in buffers else vars(obj)[name]
        setattr(obj, name, value)
        try:
            yield
        finally:
            setattr(obj, name, old)
    else:
        setattr(obj, name, value)
        try:
            yield
        finally:
            delattr(obj, name)


@contextlib.contextmanager
def _many(cms):
    with contextlib.ExitStack() as st:
        for cm in cms:
            st.enter_context(cm)
        yield


# -- RoPE as the runs computed it ----------------------------------------------------------
def rope_bf16_buffer(ctx: Ctx):
    """The records cast the whole model with .bfloat16(); Rotary.inv_freq is a buffer, so it is bf16 in the
    run. #1801..#2135 upcast it (fp32 angles from bf16-rounded frequencies); the baseline and swapp2 also take
    the positions in its dtype (bf16 angles: positions above 256 round)."""
    positions_bf16 = ctx.rec.name in ("baseline", "swapp2")
    cms = []
    for blk in ctx.g.blocks:
        r = blk.attn.rotary
        cms.append(_setattr(r, "inv_freq", r.inv_freq.bfloat16() if positions_bf16 else r.inv_freq.bfloat16().float()))
    return _many(cms)


def rope_1290(ctx: Ctx):
    """PR #1290: Rotary(train_seq_len=1024) rescales the base (NTK, rd/(rd-2)) above 1,024 tokens, in training
    too; at <= 1,024 tokens its bf16 buffer makes bf16 positions and angles (lines 583-601)."""
    def forward(self, seq_len, device, dtype):
        rd = self.dim
        if seq_len > 1024:
            new_base = self.base * ((seq_len / 1024) ** (rd / (rd - 2)))
            inv = 1.0 / (new_base ** (torch.arange(0, rd, 2, dtype=torch.float32, device=device) / rd))
        else:
            inv = self.inv_freq.to(device).bfloat16()
        t = torch.arange(seq_len, device=device, dtype=inv.dtype)
        freqs = torch.outer(t, inv)
        return freqs.cos()[None, None].to(dtype), freqs.sin()[None, None].to(dtype)

    return _many([_setattr(blk.attn.rotary, "forward", forward.__get__(blk.attn.rotary)) for blk in ctx.g.blocks])


def rope_1290_ntk_only(ctx: Ctx):
    """Only the rescale above 1,024 tokens (fp32 buffer): for measuring the two parts apart."""
    def forward(self, seq_len, device, dtype):
        rd = self.dim
        base = self.base * ((seq_len / 1024) ** (rd / (rd - 2))) if seq_len > 1024 else None
        inv = (1.0 / (base ** (torch.arange(0, rd, 2, dtype=torch.float32, device=device) / rd))
               if base is not None else self.inv_freq.to(device))
        t = torch.arange(seq_len, device=device, dtype=inv.dtype)
        freqs = torch.outer(t, inv)
        return freqs.cos()[None, None].to(dtype), freqs.sin()[None, None].to(dtype)

    return _many([_setattr(blk.attn.rotary, "forward", forward.__get__(blk.attn.rotary)) for blk in ctx.g.blocks])


# -- SmearGate v1 (PR #65 lineage: PR #1290, swapp1990#2) ---------------------------------------
def smear_v1(ctx: Ctx):
    """x <- (1 - s) * x + s * x_prev after the embedding norm, s = sigmoid(gate) per dim (the record's
    `smear.gate`; swapp2 never trains it, so s = 0.5)."""
    gate = ctx.m.state_dict()["smear.gate"].float()
    orig = ctx.g.embed

    def embed(ids):
        x = orig(ids)
        g = torch.sigmoid(gate.to(dtype=x.dtype))[None, None, :]
        x_prev = torch.cat([torch.zeros_like(x[:, :1]), x[:, :-1]], dim=1)
        return (1 - g) * x + g * x_prev

    return _setattr(ctx.g, "embed", embed)


# -- PR #1290: five U-Net skips when looped ----------------------------------------------------
def skips_unlooped_count(ctx: Ctx):
    """The record sizes skip_weights for the unlooped 11 layers (5) and pops 5 of the 6 looped encoder
    outputs; golfkit's 6th pair is neutral when its weight is 0 (x + 0 * skip = x)."""
    w = ctx.g.skip_weights
    if w.shape[0] <= ctx.rec.h.num_layers // 2:
        return contextlib.nullcontext()
    saved = w.detach().clone()

    @contextlib.contextmanager
    def cm():
        with torch.no_grad():
            w[ctx.rec.h.num_layers // 2:] = 0
        try:
            yield
        finally:
            with torch.no_grad():
                w.copy_(saved)

    return cm()


# -- PR #1787 lineage: the two-lane block and where the skip goes -----------------------------------
def two_lane_records(ctx: Ctx):
    """PR #1787..#2135 `_parallel_block`: resid_mix feeds attention only (lane 0 is carried unmixed), the MLP
    reads lane 1 *before* attention writes it, both outputs go to both lanes; the U-Net skip enters lane 0 only
    (at the first two-lane layer lane 1 starts as the pre-skip stream)."""
    P = ctx.g.cfg.parallel_start

    def two_lane_forward(block, x, x0):
        l0, l1 = (x, x) if x.dim() == 3 else x.unbind(0)
        mix = block.resid_mix.to(dtype=l0.dtype)
        attn_read = mix[0][None, None, :] * l0 + mix[1][None, None, :] * x0
        a = block.attn(block.attn_norm(attn_read) * block.ln_scale)
        a = block.attn_scale.to(dtype=a.dtype)[None, None, :] * a
        m = block.mlp_scale.to(dtype=l1.dtype)[None, None, :] * block.mlp(block.mlp_norm(l1) * block.ln_scale)
        post, r = block.lane_post.to(l0.dtype), block.lane_resid.to(l0.dtype)
        n0 = r[0] * l0 + post[0, 0] * a + post[0, 1] * m
        n1 = r[1] * l1 + post[1, 0] * a + post[1, 1] * m
        return torch.stack((n0, n1))

    gpt = ctx.g
    orig_merge = type(gpt).merge_skip

    def merge_skip(x, skip, i):
        schedule = gpt.layer_schedule()
        layer = schedule[i + len(schedule) // 2]
        if layer < P:
            return orig_merge(gpt, x, skip, i)
        l0, l1 = (x, x) if x.dim() == 3 else x.unbind(0)
        w = gpt.skip_weights[i].to(dtype=l0.dtype)[None, None, :]
        gates = getattr(gpt, "skip_gates", None)
        if gates is None:
            n0 = l0 + w * skip
        else:
            n0 = torch.lerp(w * skip, l0, torch.sigmoid(gates[i].to(dtype=l0.dtype))[None, None, :])
        return torch.stack((n0, l1))

    blocks = [b for b in gpt.blocks if isinstance(b, gl.TwoLaneBlock)]
    return _many([_setattr(gpt, "merge_skip", merge_skip)]
                  + [_setattr(b, "forward", (lambda b: lambda x, x0: two_lane_forward(b, x, x0))(b)) for b in blocks])


# -- PR #1801: the frozen carry mixes first-pass outputs ----------------------------------------------
def carry_first_pass(ctx: Ctx):
    """`carry[i] = x_new.detach()` only on a band layer's first visit; repeat visits mix those (never the
    latest pass), with every alpha term, in the record's order beta*x + sum_j alpha_j * carry_j."""
    band = ctx.g.loop
    if band is None or band.beta is None:
        return contextlib.nullcontext()
    beta = torch.tensor(band.beta, dtype=torch.float32)
    alpha = torch.tensor(band.alpha, dtype=torch.float32)

    def carry(self, local, p, out, cache):
        if p > 0:
            x = beta[local].to(out.dtype) * out
            for j in range(alpha.shape[1]):
                x = x + alpha[local, j].to(out.dtype) * cache[j]
            return x
        cache[local] = out.detach()
        return out

    return _setattr(band, "carry", carry.__get__(band))


# -- PR #1855 / #2135: the SmearGate acts on the raw embedding, before the norm ------------------------
def smear_before_norm(ctx: Ctx):
    """x = tok_emb(ids); x[1:] += lam * sigmoid(W x[1:, :12]) * x[:-1] (* [id != BOS] unless PR #2135's
    SMEAR_GATE_BOS_FIX=0); then RMSNorm. golfkit smears the normed embedding and always masks BOS."""
    fr = ctx.g.frontend
    mask_bos = ctx.rec.name != "pr2135"

    def forward(tok, ids):
        fr.fctx.input_ids = ids
        x = tok
        if fr.bigram is not None:
            x = x + fr.bigram(ids, x.dtype)
        s = fr.smear
        sl = s.lam.to(dtype=x.dtype)
        g = sl * torch.sigmoid(F.linear(x[:, 1:, : s.window].contiguous(), s.weight.to(x.dtype)))
        if mask_bos:
            not_bos = (ids[:, 1:] != s.bos).to(x.dtype).unsqueeze(-1)
            x = torch.cat([x[:, :1], x[:, 1:] + g * x[:, :-1] * not_bos], dim=1)
        else:
            x = torch.cat([x[:, :1], x[:, 1:] + g * x[:, :-1]], dim=1)
        x = F.rms_norm(x, (x.size(-1),))
        fr.fctx.ve = fr.ve(ids, x.dtype) if fr.ve is not None else None
        return x

    return _setattr(fr, "forward", forward)


# -- PR #2135: asymmetric logit softcap -------------------------------------------------------------
def asym_softcap(ctx: Ctx):
    """logits = where(z >= 0, c+ tanh(z / c+), c- tanh(z / c-)) with the record's learned softcap_pos/neg."""
    sd = ctx.m.state_dict()
    sp, sn = sd["softcap_pos"].float(), sd["softcap_neg"].float()

    def logits(h):
        z = F.linear(h, ctx.g.tok_emb.weight.to(h.dtype))
        a, b = sp.to(z.dtype), sn.to(z.dtype)
        return torch.where(z >= 0, a * torch.tanh(z / a), b * torch.tanh(z / b))

    return _setattr(ctx.g, "logits", logits)


# -- swapp1990#2: its XSA formula on repeat-interleaved values, and its SDPA ---------------------------
def xsa_swapp(ctx: Ctx):
    """y - (y.v / max(v.v, 1e-8)) v with V repeat-interleaved to every query head (golfkit: unit-normalised v
    broadcast over the GQA group), and SDPA on repeat-interleaved K, V instead of enable_gqa."""
    def xsa(y, v):
        reps = y.size(1) // v.size(1)
        v = v.repeat_interleave(reps, dim=1)
        dot_yv = (y * v).sum(dim=-1, keepdim=True)
        dot_vv = (v * v).sum(dim=-1, keepdim=True).clamp_min(1e-8)
        return y - (dot_yv / dot_vv) * v

    sdpa = F.scaled_dot_product_attention

    def sdpa_rep(q, k, v, *a, enable_gqa=False, **kw):
        if enable_gqa and k.size(1) != q.size(1):
            reps = q.size(1) // k.size(1)
            k, v = k.repeat_interleave(reps, dim=1), v.repeat_interleave(reps, dim=1)
        return sdpa(q, k, v, *a, **kw)

    return _many([_setattr(av, "xsa", xsa), _setattr(F, "scaled_dot_product_attention", sdpa_rep)])


# record -> [(difference, patch)], in the order the difference list gives them
PATCHES: dict[str, list[tuple[str, Callable[[Ctx], Any]]]] = {
    "baseline": [("RoPE from the bf16-cast buffer (bf16 positions)", rope_bf16_buffer)],
    "pr1290": [("SmearGate v1 (always on)", smear_v1),
               ("5 U-Net skips when looped", skips_unlooped_count),
               ("RoPE: NTK rescale above 1,024 + bf16 buffer", rope_1290)],
    "swapp2": [("SmearGate v1 (fixed 0.5)", smear_v1),
               ("XSA formula + repeat-interleaved SDPA", xsa_swapp),
               ("RoPE from the bf16-cast buffer (bf16 positions)", rope_bf16_buffer)],
    "pr1801": [("two-lane block + skip into lane 0", two_lane_records),
               ("frozen carry of first-pass outputs", carry_first_pass),
               ("RoPE inv_freq bf16-rounded", rope_bf16_buffer)],
    "pr1855": [("two-lane block + skip into lane 0", two_lane_records),
               ("SmearGate before the norm", smear_before_norm),
               ("RoPE inv_freq bf16-rounded", rope_bf16_buffer)],
    "pr2135": [("two-lane block + skip into lane 0", two_lane_records),
               ("SmearGate before the norm, no BOS mask", smear_before_norm),
               ("asymmetric logit softcap", asym_softcap),
               ("RoPE inv_freq bf16-rounded", rope_bf16_buffer)],
}


@contextlib.contextmanager
def applied(ctx: Ctx, names: list[str] | None = None):
    """Apply the record's patches (all, or those named)."""
    with contextlib.ExitStack() as st:
        for name, factory in PATCHES.get(ctx.rec.name, []):
            if names is None or name in names:
                st.enter_context(factory(ctx))
        yield
