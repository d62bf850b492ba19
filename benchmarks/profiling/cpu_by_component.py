#!/usr/bin/env python3
"""Busy time of a sampled-thread-time trace by component (docs/performance.md, "Per-check-in profile").

usage: cpu_by_component.py TRACE.speedscope.json [HOST_CPU_US_PER_REQUEST]

The trace comes from `dotnet-trace collect -p PID --profile dotnet-sampled-thread-time` and
`dotnet-trace convert --format speedscope`. EventPipe samples every managed thread, waiting or not; a sample counts
as busy unless its innermost frame is a known wait (Monitor.Wait, thread-pool semaphores, epoll_wait, ...). Each busy
sample goes to the innermost frame that belongs to a component (BCL frames are transparent); "inclusive" counts a
sample for every component on its stack. With the host's measured CPU per request the shares become microseconds.
"""
import json, sys, collections
def load(path):
    d = json.load(open(path)); fr = [f['name'] for f in d['shared']['frames']]
    stacks = collections.Counter()
    for p in d['profiles']:
        st = []; prev = None
        for e in p['events']:
            if prev is not None and st and e['at'] > prev:
                stacks[tuple(st)] += e['at'] - prev
            if e['type'] == 'O': st.append(e['frame'])
            else:
                # close: pop the frame (assume well nested)
                if st and st[-1] == e['frame']: st.pop()
                elif e['frame'] in st: st = st[:len(st)-1-st[::-1].index(e['frame'])]
            prev = e['at']
    return fr, stacks
WAITS = ('Threading.Monitor.Wait(', 'WaitHandle.WaitOne', 'WaitHandle.WaitAny', 'WaitHandle.WaitMultiple', 'LowLevelLifoSemaphore.', 'WorkerThread.WorkerThreadStart',
         'Interop+Sys.Read(', 'ConsoleLoggerProcessor.TryDequeue', 'SemaphoreSlim.WaitCore', 'Thread.Sleep', 'ManualResetEventSlim.Wait')
# Components: (name, predicate on one frame "Module!Namespace.Type.Method"), innermost owner wins.
COMP = [
  ('scanner-key auth (ScannerAuthenticator, AuthenticationFailures)', lambda f: 'ScannerAuthenticator' in f or 'AuthenticationFailures' in f or 'KeyHashes' in f),
  ('credential hashing (HMAC)', lambda f: 'CredentialHasher' in f or 'System.Security.Cryptography' in f),
  ('JSON (request body, response)', lambda f: f.startswith('System.Text.Json!') or 'RequestBody' in f or 'CheckInResultHttpExtensions' in f),
  ('logging', lambda f: f.startswith('Microsoft.Extensions.Logging')),
  ('metrics / tracing', lambda f: f.startswith('System.Diagnostics.DiagnosticSource!') or 'CheckInCounters' in f or 'RequestLoadTracker' in f or 'EventKit.Monitoring' in f),
  ('claims (EventKit.Redis)', lambda f: f.startswith('EventKit.Redis!')),
  ('Redis client (StackExchange.Redis, RESPite)', lambda f: f.startswith('StackExchange.Redis!') or f.startswith('RESPite!') or f.startswith('Pipelines.Sockets')),
  ('participant/gate lookup (EventKit.Caching)', lambda f: f.startswith('EventKit.Caching!') or f.startswith('Microsoft.Extensions.Caching')),
  ('writer hand-off + COPY (EventKit.Storage)', lambda f: f.startswith('EventKit.Storage!')),
  ('Npgsql (COPY, other queries)', lambda f: f.startswith('Npgsql!')),
  ('check-in pipeline (EventKit.Core)', lambda f: f.startswith('EventKit.Core!') or f.startswith('EventKit!')),
  ('endpoint + other EventKit.AspNetCore', lambda f: f.startswith('EventKit.AspNetCore!')),
  ('ASP.NET Core routing/middleware', lambda f: f.startswith('Microsoft.AspNetCore.') and 'Kestrel' not in f),
  ('Kestrel (HTTP/1.1 + sockets)', lambda f: 'Kestrel' in f),
  ('other (Options, DI, hosting…)', lambda f: f.startswith('Microsoft.Extensions.') or f.startswith('EventKit')),
]
def head(f):
    return f.split('(')[0]

def classify(names):
    m = [n for n in names if n not in ('UNMANAGED_CODE_TIME', 'CPU_TIME')]
    if names[-1] == 'UNMANAGED_CODE_TIME':
        last = m[-1] if m else '?'
        if any(w in last for w in WAITS): return None
        if last == '?!?' and len(m) > 1 and 'SocketAsyncEngine.EventLoop' in m[-2]: return None  # epoll_wait
    for f in reversed(m):
        for name, pred in COMP:
            if pred(head(f)): return name
    for f in reversed(m):
        if 'SocketAsyncEngine' in f: return 'socket engine (epoll dispatch)'
        if 'GC' in f and 'Collect' in f: return 'GC'
    return 'thread pool / async machinery / GC (no owner)'
def report(path, us_per_request=None):
    fr, st = load(path)
    comp = collections.Counter(); incl = collections.Counter(); cpu = 0
    for s, t in st.items():
        names = [fr[i] for i in s]
        c = classify(names)
        if c is None: continue
        cpu += t; comp[c] += t
        seen = set()
        for f in names:
            for name, pred in COMP:
                if name not in seen and pred(head(f)): seen.add(name); incl[name] += t
    print(f"busy samples: {cpu/1000:.1f} thread-s")
    print("| component | self share | µs/check-in | inclusive share |")
    for name, t in comp.most_common():
        us = f"{t/cpu*us_per_request:.0f}" if us_per_request else ''
        print(f"| {name} | {t/cpu*100:.1f} % | {us} | {incl.get(name,0)/cpu*100:.1f} % |")
    return fr, st
if __name__ == '__main__':
    report(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else None)
