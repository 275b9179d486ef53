"""Loops over float64 arrays compiled to machine code at run time with llvmlite (LLVM's Python
binding, wheels for Linux, macOS and Windows), for the few kernels numpy runs too slowly.

A kernel is written in Python that *builds* the loop: ``Builder`` gives values Python's arithmetic
operators, arrays indexing, and ``loop(n)`` a ``for``; calling the Python function emits LLVM IR
once, which LLVM optimises (its loop vectoriser turns a loop over independent elements into SIMD
code) and compiles in about a tenth of a second; the object code is kept on disk (``jitcache``),
so later processes load it in a millisecond. The same IR gives the same numbers on every run.

Floating point is IEEE without fast-math flags: no reassociation, no contraction into fused
multiply-adds, so a kernel computes exactly what its Python reads, whatever the CPU. ``exp`` is
fdlibm's (Cody-Waite reduction, a rational approximation, error below 1 ulp) written with plain
arithmetic, so LLVM can vectorise it where a call to the C library's ``exp`` would stay scalar;
``log`` is fdlibm's too (its bit manipulation on 64-bit integers, its branches as selects),
``log1p`` Goldberg's correction of log(1 + u), ``tanh`` Cephes' rational function near 0 and
1 − 2/(e^{2|x|} + 1) beyond: within 1, 2 and 2 ulp of the C library's
(tests/unit/test_jit_math.py).

llvmlite is imported here only; import this module only when a kernel is needed.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Union

import llvmlite
import llvmlite.binding as llvm
import llvmlite.ir as ir

from tutor.experiments.nets import jitcache

F64 = ir.DoubleType()
I64 = ir.IntType(64)
PTR = F64.as_pointer()

Operand = Union["Val", float, int]

# fdlibm e_exp.c: ln 2 in two parts (the first with trailing zero bits, so k·LN2_HI is exact), and
# the coefficients of the rational approximation of exp on [−½ ln 2, ½ ln 2]
INV_LN2 = 1.44269504088896338700e00
LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
P = (1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05,
     -1.65339022054652515390e-06, 4.13813679705723846039e-08)
ROUND = 6755399441055744.0  # 1.5·2⁵²: x + ROUND rounds x to an integer held in the low bits of the mantissa
EXP_LIMIT = 708.0  # |x| at most this: 2^k stays a normal number
# fdlibm e_log.c: the coefficients of the approximation of log((1+s)/(1−s)) on [0, 0.1716]
LG = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01, 2.222219843214978396e-01,
      1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01)
TWO54 = 1.80143985094819840000e16
# Cephes tanh.c: tanh x = x + x³ P(x²)/Q(x²) for |x| < 0.625 (relative error about 2.5e-16)
TANH_P = (-9.64399179425052238628e-1, -9.92877231001918586564e1, -1.61468768441708447952e3)
TANH_Q = (1.12811678491632931402e2, 2.23548839060100448583e3, 4.84406305325125486048e3)


class Val:
    """A double or a 64-bit integer of the function being built; arithmetic emits instructions."""

    __slots__ = ("b", "v")

    def __init__(self, b: Builder, v: ir.Value) -> None:
        self.b, self.v = b, v

    def _x(self, x: Operand) -> ir.Value:
        return x.v if isinstance(x, Val) else ir.Constant(self.v.type, x)

    def _op(self, fop: str, iop: str, x: Operand, swap: bool = False) -> Val:
        ir_b = self.b.ir
        a, c = (self._x(x), self.v) if swap else (self.v, self._x(x))
        return Val(self.b, getattr(ir_b, fop if self.v.type == F64 else iop)(a, c))

    def __add__(self, x: Operand) -> Val:
        return self._op("fadd", "add", x)

    def __radd__(self, x: Operand) -> Val:
        return self._op("fadd", "add", x, swap=True)

    def __sub__(self, x: Operand) -> Val:
        return self._op("fsub", "sub", x)

    def __rsub__(self, x: Operand) -> Val:
        return self._op("fsub", "sub", x, swap=True)

    def __mul__(self, x: Operand) -> Val:
        return self._op("fmul", "mul", x)

    def __rmul__(self, x: Operand) -> Val:
        return self._op("fmul", "mul", x, swap=True)

    def __truediv__(self, x: Operand) -> Val:
        return self._op("fdiv", "sdiv", x)

    def __rtruediv__(self, x: Operand) -> Val:
        return self._op("fdiv", "sdiv", x, swap=True)

    def __mod__(self, x: Operand) -> Val:
        return self._op("frem", "srem", x)

    def __neg__(self) -> Val:
        return Val(self.b, self.b.ir.fneg(self.v))

    def _cmp(self, op: str, x: Operand) -> Val:
        ir_b = self.b.ir
        if self.v.type == F64:
            return Val(self.b, ir_b.fcmp_ordered(op, self.v, self._x(x)))
        return Val(self.b, ir_b.icmp_signed(op, self.v, self._x(x)))

    def lt(self, x: Operand) -> Val:
        """``self < x`` (false when either is NaN), a 1-bit value for ``Builder.select``/``when``."""
        return self._cmp("<", x)

    def le(self, x: Operand) -> Val:
        return self._cmp("<=", x)

    def gt(self, x: Operand) -> Val:
        return self._cmp(">", x)

    def ge(self, x: Operand) -> Val:
        return self._cmp(">=", x)

    def eq(self, x: Operand) -> Val:
        return self._cmp("==", x)


class Array:
    """A C-contiguous block of doubles with ``cols`` columns, indexed ``a[row, col]`` or ``a[i]``."""

    def __init__(self, b: Builder, ptr: ir.Value, cols: Operand = 1) -> None:
        self.b, self.ptr, self.cols = b, ptr, cols

    def _at(self, key: Operand | tuple[Operand, Operand]) -> ir.Value:
        i = key[0] * self.cols + key[1] if isinstance(key, tuple) else key
        return self.b.ir.gep(self.ptr, [self.b.int(i).v])

    def row(self, r: Operand) -> ir.Value:
        """The address of row r (to pass to a ``Builder.subroutine``)."""
        return self._at((r, 0))

    def __getitem__(self, key: Operand | tuple[Operand, Operand]) -> Val:
        return Val(self.b, self.b.ir.load(self._at(key)))

    def __setitem__(self, key: Operand | tuple[Operand, Operand], value: Operand) -> None:
        self.b.ir.store(self.b.num(value).v, self._at(key))


class Builder:
    """Emits one function ``void name(double *arrays..., int64 ints..., double floats...)``; the
    arrays never overlap (they are declared ``noalias``, which lets loops over them vectorise)."""

    def __init__(self, name: str, arrays: int, ints: int, floats: int) -> None:
        self.module = ir.Module(name=name)
        self.module.triple = llvm.get_process_triple()
        self.name = name
        self.argtypes = [PTR] * arrays + [I64] * ints + [F64] * floats
        fn = ir.Function(self.module, ir.FunctionType(ir.VoidType(), self.argtypes), name=name)
        for a in fn.args[:arrays]:
            a.add_attribute("noalias")
        self.ir = ir.IRBuilder(fn.append_basic_block("entry"))
        self.fn = fn
        self.arrays = list(fn.args[:arrays])
        self.ints = [Val(self, a) for a in fn.args[arrays : arrays + ints]]
        self.floats = [Val(self, a) for a in fn.args[arrays + ints :]]

    def function(self, name: str, arrays: int, ints: int, floats: int, body: Callable[[list[Array], list[Val]], Val]) -> Callable[..., Val]:
        """A second function in the same module returning a double, ``body(arrays, numbers)`` emitting
        its code, never inlined: code used in several places is then optimised and compiled once.
        Its arrays are ``noalias`` too: callers pass rows that do not overlap (or are only read).
        Returns a function that emits a call, ``call(addresses…, ints…, floats…)`` (addresses from
        ``Array.row``)."""
        call = self._define(name, arrays, ints, floats, body, F64)

        def value(*args: ir.Value | Operand) -> Val:
            return Val(self, call(*args))

        return value

    def procedure(self, name: str, arrays: int, ints: int, floats: int, body: Callable[[list[Array], list[Val]], None]) -> Callable[..., None]:
        """``function`` returning nothing."""
        call = self._define(name, arrays, ints, floats, body, ir.VoidType())

        def run(*args: ir.Value | Operand) -> None:
            call(*args)

        return run

    def _define(self, name: str, arrays: int, ints: int, floats: int, body: Callable[[list[Array], list[Val]], Val | None],
                ret: ir.Type) -> Callable[..., ir.Value]:
        types = [PTR] * arrays + [I64] * ints + [F64] * floats
        fn = ir.Function(self.module, ir.FunctionType(ret, types), name=f"{self.name}_{name}")
        fn.attributes.add("noinline")
        for a in fn.args[:arrays]:
            a.add_attribute("noalias")
        outer = self.ir
        self.ir = ir.IRBuilder(fn.append_basic_block("entry"))
        got = body([Array(self, a) for a in fn.args[:arrays]], [Val(self, a) for a in fn.args[arrays:]])
        if got is None:
            self.ir.ret_void()
        else:
            self.ir.ret(got.v)
        self.ir = outer

        def call(*args: ir.Value | Operand) -> ir.Value:
            vals = [a if isinstance(a, ir.Value) else (self.int(a) if t == I64 else self.num(a)).v for a, t in zip(args, types)]
            return self.ir.call(fn, vals)

        return call

    def local(self, n: int) -> Array:
        """n doubles on the stack of the function being built (call it at its start): LLVM keeps them in registers."""
        return Array(self, self.ir.alloca(F64, size=n))

    def array(self, k: int, cols: Operand = 1) -> Array:
        return Array(self, self.arrays[k], cols)

    def int(self, x: Operand) -> Val:
        return x if isinstance(x, Val) else Val(self, ir.Constant(I64, int(x)))

    def num(self, x: Operand) -> Val:
        return x if isinstance(x, Val) else Val(self, ir.Constant(F64, float(x)))

    @contextmanager
    def loop(self, n: Operand) -> Iterator[Val]:
        """``for i in range(n)``: the body is emitted inside the ``with``."""
        b = self.ir
        before = b.block
        head, body, after = (b.append_basic_block(s) for s in ("head", "body", "after"))
        b.branch(head)
        b.position_at_end(head)
        i = b.phi(I64)
        i.add_incoming(ir.Constant(I64, 0), before)
        b.cbranch(b.icmp_signed("<", i, self.int(n).v), body, after)
        b.position_at_end(body)
        yield Val(self, i)
        i.add_incoming(b.add(i, ir.Constant(I64, 1)), b.block)
        b.branch(head)
        b.position_at_end(after)

    @contextmanager
    def when(self, cond: Val) -> Iterator[None]:
        """``if cond:`` the body is emitted inside the ``with`` (it may end in ``ret``)."""
        b = self.ir
        then, after = b.append_basic_block("then"), b.append_basic_block("endif")
        b.cbranch(cond.v, then, after)
        b.position_at_end(then)
        yield
        if not b.block.is_terminated:
            b.branch(after)
        b.position_at_end(after)

    def ret(self) -> None:
        self.ir.ret_void()

    def select(self, cond: Val, a: Operand, c: Operand) -> Val:
        """``a if cond else c``, without a branch (so loops around it still vectorise)."""
        a, c = (self.num(a), self.num(c)) if not isinstance(a, Val) or a.v.type == F64 else (a, self.int(c))
        return Val(self, self.ir.select(cond.v, a.v, c.v))

    def max(self, a: Val, c: Operand) -> Val:
        """The larger; NaN in ``a`` stays NaN."""
        return self.select(self.num(c).gt(a), c, a)

    def abs(self, x: Val) -> Val:
        return self.select(x.lt(0.0), -x, x)

    def to_int(self, x: Val) -> Val:
        """A double holding an integer (exactly, below 2⁵³) as that integer."""
        return Val(self, self.ir.fptosi(x.v, I64))

    def to_float(self, i: Val) -> Val:
        return Val(self, self.ir.sitofp(i.v, F64))

    def sqrt(self, x: Val) -> Val:
        """√x, correctly rounded (IEEE)."""
        f = self.module.declare_intrinsic("llvm.sqrt", [F64])
        return Val(self, self.ir.call(f, [x.v]))

    def bits(self, x: Val) -> Val:
        """The 64 bits of a double, as an integer."""
        return Val(self, self.ir.bitcast(x.v, I64))

    def double(self, i: Val) -> Val:
        """The double with these 64 bits."""
        return Val(self, self.ir.bitcast(i.v, F64))

    def clamp(self, x: Val, lo: float, hi: float) -> Val:
        b = self.ir
        x = Val(self, b.select(b.fcmp_ordered(">", x.v, ir.Constant(F64, hi)), ir.Constant(F64, hi), x.v))
        return Val(self, b.select(b.fcmp_ordered("<", x.v, ir.Constant(F64, lo)), ir.Constant(F64, lo), x.v))

    def exp(self, x: Val) -> Val:
        """e^x for |x| ≤ 708 (clamped beyond), within 1 ulp (fdlibm); NaN stays NaN."""
        b = self.ir
        x = self.clamp(x, -EXP_LIMIT, EXP_LIMIT)
        t = x * INV_LN2 + ROUND
        k = t - ROUND  # round(x / ln 2)
        hi = x - k * LN2_HI
        lo = k * LN2_LO
        r = hi - lo
        rr = r * r
        c = r - rr * (P[0] + rr * (P[1] + rr * (P[2] + rr * (P[3] + rr * P[4]))))
        er = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi)  # e^r
        bits = b.shl(b.add(b.bitcast(t.v, I64), ir.Constant(I64, 1023)), ir.Constant(I64, 52))  # the bits of 2^k
        return er * Val(self, b.bitcast(bits, F64))

    def sigmoid(self, z: Val) -> Val:
        return 1.0 / (1.0 + self.exp(-z))

    def log(self, x: Val) -> Val:
        """ln x, within 1 ulp (fdlibm e_log.c, its branches turned into selects): −∞ at 0, NaN
        below, +∞ at +∞; subnormal x are scaled by 2⁵⁴ first."""
        b = self.ir
        sub = x.lt(2.2250738585072014e-308)  # subnormal (or zero or negative: fixed below)
        xs = self.select(sub, x * TWO54, x)
        hx = Val(self, b.ashr(self.bits(xs).v, ir.Constant(I64, 32)))  # the high word
        k = Val(self, b.ashr(hx.v, ir.Constant(I64, 20))) - 1023 + self.select(sub, self.int(-54), self.int(0))
        hx = Val(self, b.and_(hx.v, ir.Constant(I64, 0x000FFFFF)))
        i = Val(self, b.and_((hx + 0x95F64).v, ir.Constant(I64, 0x100000)))
        hi = Val(self, b.or_(hx.v, b.xor(i.v, ir.Constant(I64, 0x3FF00000))))  # x or x/2 into [√2/2, √2)
        low = b.and_(self.bits(xs).v, ir.Constant(I64, 0xFFFFFFFF))
        m = self.double(Val(self, b.or_(b.shl(hi.v, ir.Constant(I64, 32)), low)))
        k = k + Val(self, b.ashr(i.v, ir.Constant(I64, 20)))
        f = m - 1.0
        s = f / (2.0 + f)
        dk = self.to_float(k)
        z = s * s
        w = z * z
        t1 = w * (LG[1] + w * (LG[3] + w * LG[5]))
        t2 = z * (LG[0] + w * (LG[2] + w * (LG[4] + w * LG[6])))
        R = t2 + t1
        big = Val(self, b.or_((hx - 0x6147A).v, (0x6B851 - hx).v)).gt(0)
        hfsq = 0.5 * f * f
        r1 = dk * LN2_HI - ((hfsq - (s * (hfsq + R) + dk * LN2_LO)) - f)
        r2 = dk * LN2_HI - ((s * (f - R) - dk * LN2_LO) - f)
        r = self.select(big, r1, r2)
        r = self.select(x.eq(0.0), float("-inf"), r)
        r = self.select(x.lt(0.0), float("nan"), r)
        return self.select(x.eq(float("inf")), x, self.select(x.eq(x), r, x))

    def log1p(self, u: Val) -> Val:
        """ln(1 + u), accurate for tiny u too (Goldberg 1991, "What every computer scientist should
        know about floating-point arithmetic", thm. 4: the rounding of 1 + u cancels out)."""
        v = 1.0 + u
        r = self.log(v) * u / (v - 1.0)
        r = self.select(v.eq(1.0), u, r)
        return self.select(u.eq(float("inf")), u, r)

    def softplus(self, z: Val) -> Val:
        """ln(1 + eᶻ) = max(z, 0) + ln(1 + e^−|z|), as numpy's logaddexp(0, z)."""
        return self.max(z, 0.0) + self.log1p(self.exp(-self.abs(z)))

    def tanh(self, x: Val) -> Val:
        """tanh x (Cephes tanh.c): a rational function for |x| < 0.625, 1 − 2/(e^{2|x|} + 1) above,
        the sign put back; within a few ulp."""
        a = self.abs(x)
        s = self.exp(2.0 * a)
        t = 1.0 - 2.0 / (s + 1.0)
        big = self.select(x.lt(0.0), -t, t)
        z = x * x
        p = (TANH_P[0] * z + TANH_P[1]) * z + TANH_P[2]
        q = ((z + TANH_Q[0]) * z + TANH_Q[1]) * z + TANH_Q[2]
        small = self.select(x.eq(0.0), x, x + (x * z) * (p / q))  # −0 stays −0
        return self.select(a.ge(0.625), big, small)

    def compile(self, unroll: bool = True) -> Callable[..., None]:
        """Optimise and compile; ``unroll=False`` neither unrolls nor interleaves vectorised loops
        (half the machine code, compiled in half the time, for kernels of many short loops)."""
        self.ir.ret_void()
        return _compile(str(self.module), self.name, self.argtypes, unroll)


STATS = {"compiled": 0, "cached": 0}  # kernels this process compiled, and loaded from the disk cache
_ENGINES: list[object] = []  # compiled code lives as long as its engine: keep them all
_LOCK = threading.Lock()  # LLVM's context is shared by every kernel: compile one at a time, whichever thread asks


def _compile(text: str, name: str, argtypes: list[ir.Type], unroll: bool = True) -> Callable[..., None]:
    with _LOCK:
        return _compile_now(text, name, argtypes, unroll)


def _compile_now(text: str, name: str, argtypes: list[ir.Type], unroll: bool) -> Callable[..., None]:
    try:
        llvm.initialize()
    except RuntimeError:  # llvmlite ≥ 0.45 initialises itself and refuses the call
        pass
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    try:
        features = llvm.get_host_cpu_features().flatten()
    except RuntimeError:  # not every platform can list them; the CPU's name still selects its instructions
        features = ""
    # the settings of numba's JIT (numba.core.codegen.JITCPUCodegen), which runs on Linux, macOS and Windows:
    # static relocation on x86, the JIT code model (ELF objects on Windows, as MCJIT needs), this CPU
    target = llvm.Target.from_triple(llvm.get_process_triple())
    tm = target.create_target_machine(cpu=llvm.get_host_cpu_name(), features=features, opt=3, jit=True, codemodel="jitdefault",
                                      reloc="static" if target.name.startswith("x86") else "default")
    name_on_disk = jitcache.key(text, llvm.get_process_triple(), llvm.get_host_cpu_name(), features, f"O3 unroll={unroll}",
                                llvmlite.__version__, ".".join(map(str, llvm.llvm_version_info)))
    code = jitcache.load(name_on_disk)
    mod = llvm.parse_assembly(text)
    mod.data_layout = str(tm.target_data)
    mod.verify()
    if code is None:
        pto = llvm.create_pipeline_tuning_options(speed_level=3)
        pto.loop_vectorization = True
        pto.slp_vectorization = True
        pto.loop_interleaving = pto.loop_unrolling = unroll
        pb = llvm.create_pass_builder(tm, pto)
        pb.getModulePassManager().run(mod, pb)
    engine = llvm.create_mcjit_compiler(mod, tm)
    # LLVM asks for the module's object code before generating it, and hands over what it generated
    engine.set_object_cache(lambda _m, made: jitcache.store(name_on_disk, bytes(made)) if code is None else None,
                            lambda _m: code)
    engine.finalize_object()
    STATS["cached" if code is not None else "compiled"] += 1
    _ENGINES.append(engine)
    ct = [ctypes.c_void_p if t == PTR else ctypes.c_int64 if t == I64 else ctypes.c_double for t in argtypes]
    return ctypes.CFUNCTYPE(None, *ct)(engine.get_function_address(name))
