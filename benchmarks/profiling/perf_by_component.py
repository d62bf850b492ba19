#!/usr/bin/env python3
"""On-CPU time of one process by component, from `perf record -g` (docs/performance.md, "Per-check-in profile").

usage: perf script -i perf.data | perf_by_component.py [HOST_CPU_US_PER_REQUEST]

Record with the host started under DOTNET_PerfMapEnabled=1 (and DOTNET_EnableWriteXorExecute=0, so JIT-compiled frames
resolve through /tmp/perf-PID.map), e.g. `perf record -F 499 -g -p HOST_PID -- sleep 20`. Unlike EventPipe's sampler,
perf samples only threads that are on a CPU, so every sample is CPU time, kernel and runtime included. Each sample goes
to the innermost managed frame that belongs to a component (the table of cpu_by_component.py; BCL frames are
transparent), so a send() syscall under Kestrel is Kestrel's. Samples with no component frame are named by what they
are: the JIT compiling, the runtime (GC, stubs, type checks), the thread pool spinning or waiting for work, the kernel.
"""
import collections, importlib.util, os, re, sys

spec = importlib.util.spec_from_file_location('c', os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cpu_by_component.py'))
c = importlib.util.module_from_spec(spec); spec.loader.exec_module(c)
MANAGED = re.compile(r'^\S+\s+(?:instance\s+)?(?:.*?\s)?\[([^\]]+)\]\s+(\S+?)::([^(\s]+)\(')
def frame(line):
    """'Module!Namespace.Type.Method' for a perf-map frame, else None; and the frame's DSO."""
    dso = line[line.rfind('(') + 1:-1] if line.endswith(')') else ''
    m = MANAGED.match(line.strip())
    if m and dso.startswith('/tmp/perf-'):
        return f"{m.group(1)}!{m.group(2).replace('+', '.')}.{m.group(3)}", dso
    return None, dso
def classify(frames):
    names = [f for f, _ in frames if f]
    for f in names:  # innermost first
        if 'LowLevelSpinWaiter' in f or 'LowLevelLifoSemaphore' in f or 'WorkerThread.WorkerThreadStart' in f:
            return 'thread pool: spinning / parking idle workers'
        for name, pred in c.COMP:
            if pred(c.head(f)):
                return name
    dso = frames[0][1] if frames else ''
    if 'libclrjit' in dso: return 'JIT compiler (tiering)'
    if any('libclrjit' in d for _, d in frames): return 'JIT compiler (tiering)'
    if 'libcoreclr' in dso or any('libcoreclr' in d for _, d in frames[:3]): return 'runtime (GC, stubs, casts) outside a component'
    if 'kernel' in dso: return 'kernel, no managed owner'
    if names: return 'BCL with no component frame (async machinery, thread pool dispatch)'
    return 'other native'
def main():
    us = float(sys.argv[1]) if len(sys.argv) > 1 else None
    comp = collections.Counter(); total = 0; frames = []
    def flush():
        nonlocal total
        if frames:
            comp[classify(frames)] += 1; total += 1
    for line in sys.stdin:
        line = line.rstrip('\n')
        if not line.strip():
            flush(); frames = []; continue
        if line.startswith('\t') or line.startswith(' '):
            frames.append(frame(line))
    flush()
    print(f"on-CPU samples: {total}")
    print("| component | share of host CPU | µs / check-in |")
    print("|---|---:|---:|")
    for name, n in comp.most_common():
        print(f"| {name} | {n/total*100:.1f} % | {'' if us is None else f'{n/total*us:.0f}'} |")
main()
