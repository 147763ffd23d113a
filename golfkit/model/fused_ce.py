"""Fused softcapped cross-entropy: mean_i CE(c * tanh(z_i / c), y_i) in one streaming pass per row (Triton).

The eager loss writes the softcapped logits, an fp32 copy and the log-softmax, and its backward reads and
writes them again: several passes over a (tokens x vocab) tensor that is the largest activation of a
small-vocab model. The records fuse the softcap into the cross-entropy (PR #1787's "FusedCE", kept by
PR #1801..#2135) and report it at worst neutral. Here the forward computes each row's log-sum-exp of the
softcapped logits online (running max and sum over vocab blocks) and the backward recomputes the softcap
from the raw logits: d loss / d z = g * (softmax(s) - onehot(y)) * (1 - tanh^2(z / c)), with s the capped
logits. Nothing of size tokens x vocab is stored besides the input and its gradient.

Why not a library: liger-kernel's cross_entropy takes a `softcap` too, but every forward calls `.item()`
and asserts on the target range (host syncs, and a graph break that torch.compile(fullgraph=True) refuses),
and it writes the gradient into the logits in place. This kernel is a `torch.library` custom op (opaque to
the compiler, no sync), so it runs inside the compiled training graph.

Triton is imported lazily: importing this module needs no Triton, and `available()` says whether the fused
path can run on a tensor. On CPU the kernels run only under Triton's interpreter (TRITON_INTERPRET=1, set
before this module is imported), which is how tests/test_fused_ce.py checks them against the eager loss.
"""

from __future__ import annotations

import functools

import torch
from torch import Tensor

BLOCK = 1024  # vocab columns per inner step; 1024 and 8192 (the records' vocabularies) are multiples


@functools.lru_cache(maxsize=None)
def _kernels():
    import triton
    import triton.language as tl

    @triton.jit
    def fwd(z_ptr, y_ptr, loss_ptr, lse_ptr, stride, V, cap, BLOCK: tl.constexpr):
        row = tl.program_id(0).to(tl.int64)
        base = z_ptr + row * stride
        cols = tl.arange(0, BLOCK)
        m = tl.full((), float("-inf"), tl.float32)
        acc = tl.zeros((), tl.float32)
        for start in range(0, V, BLOCK):
            idx = start + cols
            z = tl.load(base + idx, mask=idx < V, other=0.0).to(tl.float32)
            s = cap * (2.0 * tl.sigmoid(2.0 * z / cap) - 1.0)  # c * tanh(z / c)
            s = tl.where(idx < V, s, float("-inf"))
            m_new = tl.maximum(m, tl.max(s, axis=0))
            acc = acc * tl.exp(m - m_new) + tl.sum(tl.exp(s - m_new), axis=0)
            m = m_new
        lse = m + tl.log(acc)
        y = tl.load(y_ptr + row)
        zy = tl.load(base + y).to(tl.float32)
        sy = cap * (2.0 * tl.sigmoid(2.0 * zy / cap) - 1.0)
        tl.store(lse_ptr + row, lse)
        tl.store(loss_ptr + row, lse - sy)

    @triton.jit
    def bwd(z_ptr, y_ptr, lse_ptr, g_ptr, dz_ptr, stride, dstride, V, cap, BLOCK: tl.constexpr):
        row = tl.program_id(0).to(tl.int64)
        base = z_ptr + row * stride
        dbase = dz_ptr + row * dstride
        cols = tl.arange(0, BLOCK)
        lse = tl.load(lse_ptr + row)
        g = tl.load(g_ptr + row).to(tl.float32)
        y = tl.load(y_ptr + row)
        for start in range(0, V, BLOCK):
            idx = start + cols
            z = tl.load(base + idx, mask=idx < V, other=0.0).to(tl.float32)
            t = 2.0 * tl.sigmoid(2.0 * z / cap) - 1.0  # tanh(z / c)
            p = tl.exp(cap * t - lse)
            d = g * (p - tl.where(idx == y, 1.0, 0.0)) * (1.0 - t * t)
            tl.store(dbase + idx, d.to(dz_ptr.dtype.element_ty), mask=idx < V)

    return fwd, bwd


def available(t: Tensor) -> bool:
    """Whether the fused path runs for tensor `t`: a CUDA tensor and an importable Triton."""
    if not t.is_cuda:
        return False
    try:
        import triton  # noqa: F401
    except ImportError:
        return False
    return True


# Explicit schemas: the exported train_gpt.py is minified, which drops the annotations custom_op would read.
@torch.library.custom_op("golfkit::softcap_ce", mutates_args=(),
                         schema="(Tensor logits, Tensor targets, float cap) -> (Tensor, Tensor)")
def softcap_ce(logits: Tensor, targets: Tensor, cap: float) -> tuple[Tensor, Tensor]:
    """Per-row losses and log-sum-exps of CE(cap * tanh(logits / cap), targets); logits (N, V), targets (N,)."""
    logits, targets = logits.contiguous(), targets.contiguous()
    n, v = logits.shape
    loss = torch.empty(n, device=logits.device, dtype=torch.float32)
    lse = torch.empty(n, device=logits.device, dtype=torch.float32)
    fwd, _ = _kernels()
    fwd[(n,)](logits, targets, loss, lse, logits.stride(0), v, float(cap), BLOCK=BLOCK)
    return loss, lse


@softcap_ce.register_fake
def _(logits: Tensor, targets: Tensor, cap: float) -> tuple[Tensor, Tensor]:
    n = logits.shape[0]
    return logits.new_empty(n, dtype=torch.float32), logits.new_empty(n, dtype=torch.float32)


@torch.library.custom_op("golfkit::softcap_ce_backward", mutates_args=(),
                         schema="(Tensor logits, Tensor targets, Tensor lse, Tensor grad, float cap) -> Tensor")
def softcap_ce_backward(logits: Tensor, targets: Tensor, lse: Tensor, grad: Tensor, cap: float) -> Tensor:
    logits, targets, grad = logits.contiguous(), targets.contiguous(), grad.contiguous()
    n, v = logits.shape
    dz = torch.empty_like(logits)
    _, bwd = _kernels()
    bwd[(n,)](logits, targets, lse, grad, dz, logits.stride(0), dz.stride(0), v, float(cap), BLOCK=BLOCK)
    return dz


@softcap_ce_backward.register_fake
def _(logits: Tensor, targets: Tensor, lse: Tensor, grad: Tensor, cap: float) -> Tensor:
    return torch.empty_like(logits)


def _setup(ctx, inputs, output) -> None:
    logits, targets, cap = inputs
    ctx.save_for_backward(logits, targets, output[1])
    ctx.cap = cap


def _backward(ctx, grad_loss: Tensor, grad_lse: Tensor | None):
    logits, targets, lse = ctx.saved_tensors
    return softcap_ce_backward(logits, targets, lse, grad_loss, ctx.cap), None, None


softcap_ce.register_autograd(_backward, setup_context=_setup)


def softcapped_cross_entropy(logits: Tensor, targets: Tensor, cap: float) -> Tensor:
    """mean CE(cap * tanh(logits / cap), targets) over rows = F.cross_entropy of the eager softcapped fp32 logits."""
    return softcap_ce(logits.reshape(-1, logits.size(-1)), targets.reshape(-1), float(cap))[0].mean()


def eager_softcapped_cross_entropy(logits: Tensor, targets: Tensor, cap: float) -> Tensor:
    """The reference: golfkit's eager loss (GPT.logits' softcap, then F.cross_entropy in fp32)."""
    s = cap * torch.tanh(logits / cap)
    return torch.nn.functional.cross_entropy(s.float().reshape(-1, s.size(-1)), targets.reshape(-1))
