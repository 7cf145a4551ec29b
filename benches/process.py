#!/usr/bin/env python3
"""Whole-process figures for zhengce: wall time and peak memory of real command lines.

    python3 benches/process.py            # everything (builds the release binary first)
    python3 benches/process.py parse      # only `zhengce parse` on the seed
    python3 benches/process.py batch      # batch throughput, 1 and 2 threads, over ~100 MB
    python3 benches/process.py stream     # peak memory of --stdin-jsonl at 10 and 100 MB
    python3 benches/process.py diff       # `zhengce diff` of the seed and an edited copy
    python3 benches/process.py instructions  # instruction counts under valgrind (not run by default)
    python3 benches/process.py ab OLD [NEW]  # two builds run in turns (not run by default)

ZHENGCE_BIN=path/to/zhengce measures that build instead of building target/release/zhengce.

Times are wall-clock medians; memory is the peak resident set size of the process as GNU time
(`/usr/bin/time`) reports it. The machine is shared and noisy: read the figures as orders of
magnitude, and compare runs taken on one machine. Instruction counts (`instructions`, with
valgrind's callgrind) do not drift with the machine's load: compare two builds by them first.
"""

import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("ZHENGCE_BIN") or os.path.join(ROOT, "target", "release", "zhengce")
SEED = os.path.join(ROOT, "seeds", "000_c965c7f64a70dc2d.txt")
CORPUS = os.path.join(ROOT, "tests", "corpus")


def run(args, stdin=None, stdout=subprocess.DEVNULL):
    """Runs a command; returns its wall time in seconds."""
    start = time.perf_counter()
    if stdin is None:
        subprocess.run(args, stdout=stdout, stderr=subprocess.DEVNULL, check=True)
    else:
        with open(stdin, "rb") as f:
            subprocess.run(args, stdin=f, stdout=stdout, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def peak_rss(args, stdin=None, codes=(0,)):
    """Peak RSS in MB of one run of `args`, which must exit with one of `codes`; None without
    GNU time. GNU time measures it: a process forked from Python starts as a copy of the
    interpreter, whose 13-14 MB would count as the peak of anything smaller."""
    if not os.path.exists("/usr/bin/time"):
        return None
    with tempfile.TemporaryDirectory() as d:
        report = os.path.join(d, "time")
        cmd = ["/usr/bin/time", "-f", "%M", "-o", report] + args
        with open(stdin or os.devnull, "rb") as f:
            done = subprocess.run(cmd, stdin=f, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        if done.returncode not in codes:
            sys.exit(f"{' '.join(args)}: exit status {done.returncode}")
        with open(report) as f:
            # A non-zero exit adds a line before the figure.
            return int(f.read().split()[-1]) / 1024.0


def show_rss(rss):
    return "not measured (needs GNU time)" if rss is None else f"{rss:.1f} MB"


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def minor_faults(args):
    """Page faults of one run (each costs the process a trap into the kernel)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt
    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt - before


def bench_parse():
    runs = 200
    times = []
    for _ in range(10):
        run([BIN, "parse", SEED])
    for _ in range(runs):
        times.append(run([BIN, "parse", SEED]))
    times.sort()
    rss = peak_rss([BIN, "parse", SEED])
    faults = minor_faults([BIN, "parse", SEED])
    size = os.path.getsize(SEED)
    print(f"parse seed ({size / 1000:.0f} kB), {runs} runs: min {times[0] * 1000:.2f} ms, "
          f"p10 {times[runs // 10] * 1000:.2f} ms, median {statistics.median(times) * 1000:.2f} ms; "
          f"peak RSS {show_rss(rss)}; {faults} page faults")


def instructions(args, toggle=None):
    """Instructions run by a command under callgrind (all threads), or only inside `toggle`."""
    with tempfile.TemporaryDirectory() as d:
        cmd = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={d}/out"]
        if toggle:
            cmd.append(f"--toggle-collect={toggle}")
        out = subprocess.run(cmd + args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                             text=True, check=True)
    found = re.search(r"Collected : (\d+)", out.stderr)
    if not found:
        sys.exit(f"no instruction count in valgrind's output:\n{out.stderr}")
    if int(found.group(1)) == 0:
        # The function was inlined or renamed: nothing was counted inside it.
        sys.exit(f"callgrind counted nothing inside {toggle}")
    return int(found.group(1))


def bench_instructions():
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed")
        return
    with tempfile.TemporaryDirectory() as d:
        empty = os.path.join(d, "empty.txt")
        open(empty, "w").close()
        start = instructions([BIN, "parse", empty])
        whole = instructions([BIN, "parse", SEED])
        dirs = {}
        for n in (1, 5):
            dirs[n] = os.path.join(d, f"seeds{n}")
            os.mkdir(dirs[n])
            for i in range(n):
                shutil.copyfile(SEED, os.path.join(dirs[n], f"{i}.txt"))
        # The parse of each document alone (reading the file, decoding, analysis; not the JSON), the
        # later four without the first one's warm-up. valgrind runs SHA-256 in software, which
        # real CPUs with SHA extensions do in a small fraction of that.
        batch = lambda n: instructions([BIN, "batch", "-j", "1", "-q", "--jsonl", dirs[n]],
                                       toggle="zhengce::files::parse_path")
        one, five = batch(1), batch(5)
    print("instructions (callgrind):")
    print(f"  start-up, `parse` of an empty file: {start / 1e6:.1f} M")
    print(f"  `parse` of the seed, whole process: {whole / 1e6:.1f} M")
    print(f"  a parse of the seed in a running process: first {one / 1e6:.2f} M, "
          f"then {(five - one) / 4 / 1e6:.2f} M each")


def corpus_files():
    files = [SEED] + sorted(
        os.path.join(CORPUS, n) for n in os.listdir(CORPUS) if n.endswith(".txt")
    )
    return files


def build_tree(target_bytes, workdir):
    """Copies the fixtures into `workdir` until they add up to `target_bytes`."""
    files = corpus_files()
    total = 0
    n = 0
    while total < target_bytes:
        for f in files:
            dst = os.path.join(workdir, f"{n:06d}_{os.path.basename(f)}")
            shutil.copyfile(f, dst)
            total += os.path.getsize(f)
            n += 1
            if total >= target_bytes:
                break
    return total, n


def bench_batch():
    with tempfile.TemporaryDirectory() as d:
        total, n = build_tree(100_000_000, d)
        print(f"batch over {n} documents, {total / 1e6:.0f} MB (the fixtures repeated):")
        base = None
        for j in (1, 2):
            secs = run([BIN, "batch", d, "--jsonl", "-q", "-j", str(j)])
            rate = total / 1e6 / secs
            docs = n / secs * 60
            base = base or secs
            print(f"  -j {j}: {secs:.2f} s, {rate:.1f} MB/s, {docs:,.0f} documents/minute, "
                  f"speed-up {base / secs:.2f}x")


def stream_file(path, target_bytes):
    files = [open(f, encoding="utf-8").read() for f in corpus_files()]
    total = 0
    i = 0
    with open(path, "w", encoding="utf-8") as out:
        while total < target_bytes:
            line = json.dumps({"id": i, "text": files[i % len(files)]}, ensure_ascii=False)
            out.write(line + "\n")
            total += len(line.encode("utf-8")) + 1
            i += 1
    return total, i


def bench_stream():
    with tempfile.TemporaryDirectory() as d:
        print("--stdin-jsonl peak memory (should stay flat as the input grows):")
        for mb in (10, 100):
            path = os.path.join(d, f"in{mb}.jsonl")
            total, lines = stream_file(path, mb * 1_000_000)
            rss = peak_rss([BIN, "batch", "--stdin-jsonl", "-q", "-j", "2"], stdin=path)
            secs = run([BIN, "batch", "--stdin-jsonl", "-q", "-j", "2"], stdin=path)
            print(f"  {total / 1e6:.0f} MB, {lines} lines: peak RSS {show_rss(rss)}, {secs:.2f} s "
                  f"({total / 1e6 / secs:.1f} MB/s)")


def bench_diff():
    """`zhengce diff` of the seed against a copy with one target value changed: the two parses
    and the comparison, word by word where text differs."""
    text = open(SEED, encoding="utf-8").read()
    edited = re.sub(r"[0-9]+(?=亿元)", lambda m: str(int(m.group()) + 32), text, count=1)
    if edited == text:
        sys.exit("diff: found no value in 亿元 to change in the seed")
    runs = 50
    with tempfile.TemporaryDirectory() as d:
        other = os.path.join(d, "edited.txt")
        with open(other, "w", encoding="utf-8") as f:
            f.write(edited)
        args = [BIN, "diff", SEED, other]
        times = []
        for _ in range(runs + 5):
            start = time.perf_counter()
            done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
            if done.returncode != 1:
                sys.exit(f"diff exited with {done.returncode}, not 1 (differences found)")
        times = sorted(times[5:])
        rss = peak_rss(args, codes=(1,))
    print(f"diff seed against an edited copy, {runs} runs: min {times[0] * 1000:.1f} ms, "
          f"median {statistics.median(times) * 1000:.1f} ms; peak RSS {show_rss(rss)}")


def bench_ab(old, new, rounds=15):
    """Two builds run in turns, so that a drift of the machine's speed falls on both: `parse` of
    the seed (whole process), and a seed parse in a running process (`--stdin-jsonl` over 101
    copies less over one, divided by 100)."""
    for b in (old, new):
        if not os.access(b, os.X_OK):
            sys.exit(f"ab: {b} is not an executable")
    seed = open(SEED, encoding="utf-8").read()
    line = json.dumps({"id": 0, "text": seed}, ensure_ascii=False) + "\n"
    stream = ["batch", "--stdin-jsonl", "-q", "-j", "1"]
    with tempfile.TemporaryDirectory() as d:
        inputs = {}
        for n in (1, 101):
            inputs[n] = os.path.join(d, f"{n}.jsonl")
            with open(inputs[n], "w", encoding="utf-8") as f:
                f.write(line * n)
        whole = {old: [], new: []}
        per_doc = {old: [], new: []}
        for r in range(rounds):
            # The order alternates too: the second of a pair runs on a warmer cache.
            for b in (old, new) if r % 2 == 0 else (new, old):
                for _ in range(10):
                    whole[b].append(run([b, "parse", SEED]))
                cmd = [b] + stream
                per_doc[b].append((run(cmd, stdin=inputs[101]) - run(cmd, stdin=inputs[1])) / 100)
    print(f"{rounds} rounds in turns; old = {old}, new = {new}")
    for name, res in (("parse seed, whole process", whole),
                      ("a seed parse in a running process", per_doc)):
        o, n = statistics.median(res[old]), statistics.median(res[new])
        print(f"  {name}: old min {min(res[old]) * 1000:.3f} / median {o * 1000:.3f} ms, "
              f"new min {min(res[new]) * 1000:.3f} / median {n * 1000:.3f} ms, "
              f"new/old {n / o:.3f}")


def main():
    args = sys.argv[1:]
    if args[:1] == ["ab"]:
        if len(args) not in (2, 3):
            sys.exit("usage: process.py ab OLD_BINARY [NEW_BINARY]")
        if len(args) == 2 and "ZHENGCE_BIN" not in os.environ:
            subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
        print(f"machine: {machine()}")
        bench_ab(os.path.abspath(args[1]), os.path.abspath(args[2] if len(args) == 3 else BIN))
        return
    which = args or ["parse", "batch", "stream", "diff"]
    if "ZHENGCE_BIN" not in os.environ:
        subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    print(f"machine: {machine()}")
    if "parse" in which:
        bench_parse()
    if "batch" in which:
        bench_batch()
    if "stream" in which:
        bench_stream()
    if "diff" in which:
        bench_diff()
    if "instructions" in which:
        bench_instructions()


if __name__ == "__main__":
    main()
