"""Python rivals for the @ipc benchmark (SPEC.md W1-W4), standard library only.

W1-W3: multiprocessing.Pipe (pickle; send_bytes/recv_bytes for W3) between this driver and one
Process. W3 also through multiprocessing.shared_memory ("shm" as the fourth argument): a segment of
8 slots of one buffer each, flow-controlled by two multiprocessing.Semaphore (free, filled); the
driver copies each buffer into a free slot, the peer copies it out into a buffer it keeps.
W4: multiprocessing.Queue with 2 producers + 2 consumers and an idle parent.
W2, W3 and W4 first run an untimed warm-up pass of w2Warmup / w3Warmup / w4Warmup messages (when not
0) in the same processes, as the Node cases do (SPEC's setup rule; Python has no JIT, so it changes
little here).
Usage: python3 mp_bench.py W1|W2|W3|W4 '<counts JSON>' [all|sample] [shm]. Prints one JSON line last.
"""
import json
import math
import multiprocessing as mp
import os
import sys
import time
from multiprocessing import shared_memory


def item(i):
    return {"id": i, "user": "user-%d" % i, "items": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], "ok": True, "score": 0.5}


VERIFY_ALL = False


def check_item(m, i):
    if not isinstance(m, dict) or m.get("id") != i:
        raise RuntimeError("expected message id %d, got %r" % (i, m))
    if (VERIFY_ALL or i % 1024 == 0) and m != item(i):
        raise RuntimeError("message %d arrived altered: %r" % (i, m))


def passes(counts, warmup, timed):
    """A workload's passes: the untimed warm-up pass (when counts[warmup] is not 0), then the timed one."""
    warm = counts.get(warmup, 0)
    return [warm, counts[timed]] if warm > 0 else [counts[timed]]


def reference(size):
    return bytes(i & 0xFF for i in range(256)) * (size // 256)


def peer(conn, workload, counts):
    conn.send("ready")
    if workload == "W1":
        while True:
            m = conn.recv()
            if m == "bye":
                return
            conn.send(m)
    elif workload == "W2":
        for n in passes(counts, "w2Warmup", "w2Messages"):
            for i in range(n):
                check_item(conn.recv(), i)
            conn.send(("done", n))
    else:
        size = counts["w3BufferBytes"]
        for n in passes(counts, "w3Warmup", "w3Buffers"):
            total = 0
            for i in range(n):
                b = conn.recv_bytes()
                check_bulk(b, size, i)
                total += len(b)
            conn.send(("done", total))
    if conn.recv() != "bye":
        raise RuntimeError("expected bye")


def run_pipe(workload, counts):
    a, b = mp.Pipe(duplex=True)
    p = mp.Process(target=peer, args=(b, workload, counts), daemon=True)
    p.start()
    if a.recv() != "ready":
        raise RuntimeError("expected ready")
    result = {"ok": True}
    if workload == "W1":
        for seq in range(counts["w1Warmup"]):
            a.send({"seq": seq, "ts": time.perf_counter_ns() / 1e6, "tag": "ping"})
            if a.recv()["seq"] != seq:
                raise RuntimeError("W1: wrong echo")
        samples = []
        base = counts["w1Warmup"]
        for i in range(counts["w1RoundTrips"]):
            seq = base + i
            t0 = time.perf_counter_ns()
            a.send({"seq": seq, "ts": t0 / 1e6, "tag": "ping"})
            echo = a.recv()
            samples.append(time.perf_counter_ns() - t0)
            if echo["seq"] != seq or (VERIFY_ALL and (echo["tag"] != "ping" or not isinstance(echo["ts"], float))):
                raise RuntimeError("W1: expected the echo of seq %d" % seq)
        samples.sort()
        n = len(samples)
        us = lambda rank: samples[min(n, max(1, rank)) - 1] / 1000.0
        median = us((n + 1) // 2) if n % 2 else (us(n // 2) + us(n // 2 + 1)) / 2
        result.update(median_us=median, p99_us=us(math.ceil(0.99 * n)), mean_us=sum(samples) / n / 1000.0,
                      min_us=us(1), max_us=us(n))
    elif workload == "W2":
        for n in passes(counts, "w2Warmup", "w2Messages"):  # the timed pass is the last
            t0 = time.perf_counter_ns()
            for i in range(n):
                a.send(item(i))
            done = a.recv()
            secs = (time.perf_counter_ns() - t0) / 1e9
            if done != ("done", n):
                raise RuntimeError("W2: peer reported %r" % (done,))
        result.update(secs=secs)
    else:
        size = counts["w3BufferBytes"]
        buf = reference(size)
        for n in passes(counts, "w3Warmup", "w3Buffers"):  # the timed pass is the last
            t0 = time.perf_counter_ns()
            for _ in range(n):
                a.send_bytes(buf)
            done = a.recv()
            secs = (time.perf_counter_ns() - t0) / 1e9
            if done != ("done", size * n):
                raise RuntimeError("W3: peer reported %r" % (done,))
        result.update(secs=secs)
    a.send("bye")
    p.join(10)
    return result


SLOTS = 8


def check_bulk(b, size, i):
    if VERIFY_ALL and b != reference(size):
        raise RuntimeError("W3: buffer %d arrived altered" % i)
    if len(b) != size or b[0] != 0 or b[size - 1] != (size - 1) & 0xFF or b[size >> 1] != (size >> 1) & 0xFF:
        raise RuntimeError("W3: buffer %d altered or of %d bytes" % (i, len(b)))


def acquire(sem, alive, who):
    """Takes `sem`, checking every half second that the other side is still there (never hangs)."""
    while not sem.acquire(timeout=0.5):
        if not alive():
            raise RuntimeError("W3: the %s died" % who)


def shm_peer(shm, free, filled, conn, counts):
    driver = os.getppid()
    driver_alive = lambda: os.getppid() == driver
    size = counts["w3BufferBytes"]
    own = bytearray(size)  # the buffer the peer keeps: every buffer is copied into it
    conn.send("ready")
    k = 0  # buffers through the slots so far (both passes)
    for n in passes(counts, "w3Warmup", "w3Buffers"):
        total = 0
        for i in range(n):
            acquire(filled, driver_alive, "driver")
            slot = (k % SLOTS) * size
            own[:] = shm.buf[slot:slot + size]
            free.release()
            check_bulk(own, size, i)
            total += size
            k += 1
        conn.send(("done", total))


def run_shared_memory(counts):
    size = counts["w3BufferBytes"]
    shm = shared_memory.SharedMemory(create=True, size=SLOTS * size)
    try:
        free, filled = mp.Semaphore(SLOTS), mp.Semaphore(0)
        a, b = mp.Pipe(duplex=True)
        # Forked: the child uses this mapping (opening it by name would register it twice with the
        # resource tracker).
        p = mp.Process(target=shm_peer, args=(shm, free, filled, b, counts), daemon=True)
        p.start()
        b.close()  # the peer's end: closed here, so that the peer's death reads as the end of the pipe
        if a.recv() != "ready":
            raise RuntimeError("expected ready")
        buf = reference(size)
        k = 0
        for n in passes(counts, "w3Warmup", "w3Buffers"):  # the timed pass is the last
            t0 = time.perf_counter_ns()
            for _ in range(n):
                acquire(free, p.is_alive, "peer")
                slot = (k % SLOTS) * size
                shm.buf[slot:slot + size] = buf
                filled.release()
                k += 1
            try:
                done = a.recv()
            except EOFError:
                raise RuntimeError("W3: the peer died before reporting") from None
            secs = (time.perf_counter_ns() - t0) / 1e9
            if done != ("done", size * n):
                raise RuntimeError("W3: peer reported %r" % (done,))
        p.join(10)
        return {"ok": True, "secs": secs}
    finally:
        shm.close()
        shm.unlink()


def produce(q, k, producers, n):
    for i in range(k, n, producers):
        q.put(item(i))


def consume(q, producers):
    nxt = list(range(producers))
    count = 0
    id_sum = 0
    while True:
        m = q.get()
        if m is None:
            return count, id_sum
        i = m["id"]
        k = i % producers
        if i < nxt[k]:
            raise RuntimeError("W4: id %d out of order" % i)
        check_item(m, i)
        nxt[k] = i + producers
        count += 1
        id_sum += i


# W4's untimed warm-up pass goes through a queue of its own (wq), in the same processes: a producer
# flushes it by closing it (an mp.Queue has no flush), which the timed queue must not be.

def producer(q, wq, ready, warm_go, go, k, producers, warm, n):
    ready.put(("ready", "producer", k))
    if warm > 0:
        warm_go.wait()
        produce(wq, k, producers, warm)
        wq.close()
        wq.join_thread()
        ready.put(("warm", "producer", 0, 0))
    go.wait()
    produce(q, k, producers, n)


def consumer(q, wq, ready, warm_go, go, results, producers, warm):
    ready.put(("ready", "consumer"))
    if warm > 0:
        warm_go.wait()
        count, id_sum = consume(wq, producers)
        ready.put(("warm", "consumer", count, id_sum))
    go.wait()
    results.put(consume(q, producers))


def check_counts(reports, n):
    count = sum(r[0] for r in reports)
    if count != n or sum(r[1] for r in reports) != n * (n - 1) // 2:
        raise RuntimeError("W4: consumers received %d of %d messages" % (count, n))


def run_queue(counts):
    n, warm = counts["w4Messages"], counts.get("w4Warmup", 0)
    q, wq, ready, results = mp.Queue(), mp.Queue(), mp.Queue(), mp.Queue()
    warm_go, go = mp.Event(), mp.Event()
    producers = [mp.Process(target=producer, args=(q, wq, ready, warm_go, go, k, 2, warm, n)) for k in range(2)]
    consumers = [mp.Process(target=consumer, args=(q, wq, ready, warm_go, go, results, 2, warm))
                 for _ in range(2)]
    for p in consumers + producers:
        p.start()
    for _ in range(4):
        ready.get(timeout=30)
    if warm > 0:
        warm_go.set()
        for _ in producers:  # consumers cannot report before the stop sentinels
            if ready.get(timeout=120)[1] != "producer":
                raise RuntimeError("W4: a consumer ended the warm-up pass before its stop sentinel")
        for _ in consumers:
            wq.put(None)
        check_counts([ready.get(timeout=120)[2:] for _ in consumers], warm)
    t0 = time.perf_counter_ns()
    go.set()
    for p in producers:
        p.join()
    for _ in consumers:
        q.put(None)
    reports = [results.get(timeout=120) for _ in consumers]
    secs = (time.perf_counter_ns() - t0) / 1e9
    for p in consumers:
        p.join(10)
    check_counts(reports, n)
    return {"ok": True, "secs": secs}


def main():
    global VERIFY_ALL
    workload, counts = sys.argv[1], json.loads(sys.argv[2])
    VERIFY_ALL = len(sys.argv) > 3 and sys.argv[3] == "all"
    try:
        if workload == "W4":
            result = run_queue(counts)
        elif len(sys.argv) > 4 and sys.argv[4] == "shm":
            result = run_shared_memory(counts)
        else:
            result = run_pipe(workload, counts)
    except Exception as err:  # reported to the harness as one line
        result = {"ok": False, "error": "%s: %s" % (type(err).__name__, err)}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
