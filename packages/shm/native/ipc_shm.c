// @ipc/shm native addon: the system calls JavaScript cannot make. POSIX shared memory (shm_open,
// shm_unlink), mmap(MAP_SHARED) as an external ArrayBuffer, msync, and futex wait/wake (blocking, and
// asynchronous through one waiter thread per JavaScript environment that multiplexes every pending
// wait with futex_waitv). Everything else lives in TypeScript. Pure Node-API: ABI-stable.
#define _GNU_SOURCE
#include <node_api.h>
#include "ipc_errno.h" // throw_errno, from @ipc/kit/native
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
// musl (1.2.3) predates futex_waitv; its number is 449 on every architecture (asm-generic).
#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif
#endif

#define CHECK(call)                                                                     \
  do {                                                                                  \
    if ((call) != napi_ok) {                                                            \
      napi_throw_error(env, "ERR_INTERNAL", "@ipc/shm: Node-API call failed: " #call); \
      return NULL;                                                                      \
    }                                                                                   \
  } while (0)

static napi_value num(napi_env env, double v) {
  napi_value r;
  napi_create_double(env, v, &r);
  return r;
}

static int get_args(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    napi_throw_type_error(env, "ERR_INVALID_ARGUMENT", "@ipc/shm: missing arguments");
    return 0;
  }
  return 1;
}

static int get_i64(napi_env env, napi_value v, int64_t* out) {
  if (napi_get_value_int64(env, v, out) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARGUMENT", "@ipc/shm: expected a number");
    return 0;
  }
  return 1;
}

// Address of a 32-bit word at byteOffset in an ArrayBuffer (bounds and alignment checked).
static uint32_t* word_at(napi_env env, napi_value ab, napi_value offset) {
  void* data;
  size_t len;
  int64_t off;
  if (napi_get_arraybuffer_info(env, ab, &data, &len) != napi_ok) {
    napi_throw_type_error(env, "ERR_INVALID_ARGUMENT", "@ipc/shm: expected an ArrayBuffer");
    return NULL;
  }
  if (!get_i64(env, offset, &off)) return NULL;
  if (off < 0 || (off & 3) != 0 || (size_t)off + 4 > len) {
    napi_throw_range_error(env, "ERR_INVALID_ARGUMENT", "@ipc/shm: word offset out of range or unaligned");
    return NULL;
  }
  return (uint32_t*)((char*)data + off);
}

// shmOpen(name, create, mode) -> fd. create: O_CREAT|O_EXCL (never truncates an existing segment).
static napi_value shm_open_js(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!get_args(env, info, 3, argv)) return NULL;
  char name[256];
  size_t n;
  bool create;
  int64_t mode;
  CHECK(napi_get_value_string_utf8(env, argv[0], name, sizeof name, &n));
  CHECK(napi_get_value_bool(env, argv[1], &create));
  if (!get_i64(env, argv[2], &mode)) return NULL;
  int fd = shm_open(name, O_RDWR | (create ? O_CREAT | O_EXCL : 0), (mode_t)mode);
  if (fd < 0) return throw_errno(env, errno, "shm_open");
  return num(env, fd);
}

static napi_value shm_unlink_js(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  char name[256];
  size_t n;
  CHECK(napi_get_value_string_utf8(env, argv[0], name, sizeof name, &n));
  if (shm_unlink(name) != 0) return throw_errno(env, errno, "shm_unlink");
  return NULL;
}

// mkfifo(path, mode): a FIFO for a ring's doorbell (the reader's event loop polls it; the writer
// writes one byte to wake it). Fails with the errno (EEXIST when the path is taken).
static napi_value mkfifo_js(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv)) return NULL;
  char path[4096];
  size_t n;
  int64_t mode;
  CHECK(napi_get_value_string_utf8(env, argv[0], path, sizeof path, &n));
  if (!get_i64(env, argv[1], &mode)) return NULL;
  if (mkfifo(path, (mode_t)mode) != 0) return throw_errno(env, errno, "mkfifo");
  return NULL;
}

static void unmap(napi_env env, void* data, void* hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

// mmap(fd, length, offset, writable, populate?) -> ArrayBuffer over a MAP_SHARED mapping; unmapped
// exactly once, by its finalizer, when the last reference is gone. `populate` (MAP_POPULATE, Linux)
// maps every page now, so that touching the memory later takes no page fault.
static napi_value mmap_js(napi_env env, napi_callback_info info) {
  napi_value argv[5], result;
  size_t argc = 5;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 4) {
    napi_throw_type_error(env, "ERR_INVALID_ARGUMENT", "@ipc/shm: missing arguments");
    return NULL;
  }
  int64_t fd, length, offset;
  bool writable, populate = false;
  if (!get_i64(env, argv[0], &fd) || !get_i64(env, argv[1], &length) || !get_i64(env, argv[2], &offset)) return NULL;
  CHECK(napi_get_value_bool(env, argv[3], &writable));
  if (argc >= 5) CHECK(napi_get_value_bool(env, argv[4], &populate));
  if (length <= 0 || offset < 0) return throw_errno(env, EINVAL, "mmap");
  int flags = MAP_SHARED;
#ifdef MAP_POPULATE
  if (populate) flags |= MAP_POPULATE;
#endif
  void* p = mmap(NULL, (size_t)length, PROT_READ | (writable ? PROT_WRITE : 0), flags, (int)fd, (off_t)offset);
  if (p == MAP_FAILED) return throw_errno(env, errno, "mmap");
  napi_status s = napi_create_external_arraybuffer(env, p, (size_t)length, unmap, (void*)(uintptr_t)length, &result);
  if (s != napi_ok) {
    munmap(p, (size_t)length);
    napi_throw_error(env, "ERR_UNSUPPORTED", "@ipc/shm: this runtime refuses external ArrayBuffers");
    return NULL;
  }
  return result;
}

// msync(buffer, byteOffset, length): writes the mapped range back to its file (MS_SYNC).
static napi_value msync_js(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!get_args(env, info, 3, argv)) return NULL;
  void* data;
  size_t len;
  int64_t off, count;
  CHECK(napi_get_arraybuffer_info(env, argv[0], &data, &len));
  if (!get_i64(env, argv[1], &off) || !get_i64(env, argv[2], &count)) return NULL;
  if (off < 0 || count < 0 || (size_t)(off + count) > len) return throw_errno(env, EINVAL, "msync");
  long page = sysconf(_SC_PAGESIZE);
  uintptr_t start = (uintptr_t)data + (uintptr_t)off;
  uintptr_t aligned = start & ~(uintptr_t)(page - 1);
  if (msync((void*)aligned, (size_t)(start - aligned + (uintptr_t)count), MS_SYNC) != 0)
    return throw_errno(env, errno, "msync");
  return NULL;
}

#ifdef __linux__
static long futex(uint32_t* addr, int op, uint32_t val, const struct timespec* ts) {
  return syscall(SYS_futex, addr, op, val, ts, NULL, 0);
}
#endif

// futexWait(buffer, byteOffset, expected, timeoutMs) -> 0 woken, 1 not-equal, 2 timed out. Blocks.
// Shared (not FUTEX_PRIVATE_FLAG): wakes across processes that map the same memory.
static napi_value futex_wait_js(napi_env env, napi_callback_info info) {
#ifdef __linux__
  napi_value argv[4];
  if (!get_args(env, info, 4, argv)) return NULL;
  uint32_t* w = word_at(env, argv[0], argv[1]);
  if (w == NULL) return NULL;
  int32_t expected;
  double ms;
  CHECK(napi_get_value_int32(env, argv[2], &expected));
  CHECK(napi_get_value_double(env, argv[3], &ms));
  struct timespec ts, *tsp = NULL;
  if (ms >= 0) {
    ts.tv_sec = (time_t)(ms / 1000);
    ts.tv_nsec = (long)((ms - (double)ts.tv_sec * 1000) * 1e6);
    tsp = &ts;
  }
  if (futex(w, FUTEX_WAIT, (uint32_t)expected, tsp) == 0) return num(env, 0);
  if (errno == EAGAIN) return num(env, 1);
  if (errno == ETIMEDOUT) return num(env, 2);
  if (errno == EINTR) return num(env, 0);
  return throw_errno(env, errno, "futex");
#else
  return throw_errno(env, ENOSYS, "futex");
#endif
}

// futexWake(buffer, byteOffset, count) -> processes/threads woken.
static napi_value futex_wake_js(napi_env env, napi_callback_info info) {
#ifdef __linux__
  napi_value argv[3];
  if (!get_args(env, info, 3, argv)) return NULL;
  uint32_t* w = word_at(env, argv[0], argv[1]);
  if (w == NULL) return NULL;
  int32_t count;
  CHECK(napi_get_value_int32(env, argv[2], &count));
  long r = futex(w, FUTEX_WAKE, (uint32_t)count, NULL);
  if (r < 0) return throw_errno(env, errno, "futex");
  return num(env, (double)r);
#else
  return throw_errno(env, ENOSYS, "futex");
#endif
}

// ---- The asynchronous waiter: one thread per environment, up to WAITER_SLOTS words at once. ----
#ifdef __linux__
#ifndef FUTEX_32
#define FUTEX_32 2
#endif
#define WAITV_MAX 128
#define WAITER_SLOTS (WAITV_MAX - 1)

struct waitv {
  uint64_t val;
  uint64_t uaddr;
  uint32_t flags;
  uint32_t reserved;
};

typedef struct {
  uint32_t* addr;
  uint32_t expected;
  uint32_t id;
  int active;
} slot_t;

typedef struct {
  pthread_t thread;
  pthread_mutex_t lock;
  uint32_t control;  // bumped (and woken) whenever the slot table changes
  int stopping;
  int started;
  slot_t slots[WAITER_SLOTS];
  napi_threadsafe_function tsfn;
  // Every copy of the JavaScript module loaded in this environment (a bundled copy, Jest's module
  // registries) registers its callback; each ignores ids it does not know.
  napi_ref callbacks[64];
  int ncallbacks;
  int keepalive;  // how many module copies have pending waits
} waiter_t;

typedef struct {
  uint32_t count;
  uint32_t ids[WAITER_SLOTS];
} batch_t;

static long futex_waitv(struct waitv* v, unsigned n) {
  return syscall(SYS_futex_waitv, v, n, 0, NULL, CLOCK_MONOTONIC);
}

static void* waiter_main(void* arg) {
  waiter_t* w = arg;
  struct waitv v[WAITV_MAX];
  int index[WAITV_MAX];
  pthread_mutex_lock(&w->lock);
  while (!w->stopping) {
    unsigned n = 0;
    v[n] = (struct waitv){__atomic_load_n(&w->control, __ATOMIC_SEQ_CST), (uintptr_t)&w->control, FUTEX_32, 0};
    index[n++] = -1;
    for (int i = 0; i < WAITER_SLOTS; i++) {
      if (!w->slots[i].active) continue;
      v[n] = (struct waitv){w->slots[i].expected, (uintptr_t)w->slots[i].addr, FUTEX_32, 0};
      index[n++] = i;
    }
    pthread_mutex_unlock(&w->lock);
    long r = futex_waitv(v, n);
    pthread_mutex_lock(&w->lock);
    batch_t* b = NULL;
    for (int i = 0; i < WAITER_SLOTS; i++) {
      slot_t* s = &w->slots[i];
      if (!s->active) continue;
      int woken = r > 0 && index[r] == i;
      if (woken || __atomic_load_n(s->addr, __ATOMIC_SEQ_CST) != s->expected) {
        if (b == NULL) b = calloc(1, sizeof *b);
        if (b == NULL) break;
        s->active = 0;
        b->ids[b->count++] = s->id;
      }
    }
    if (b != NULL) napi_call_threadsafe_function(w->tsfn, b, napi_tsfn_nonblocking);
  }
  pthread_mutex_unlock(&w->lock);
  return NULL;
}

static void deliver(napi_env env, napi_value unused, void* context, void* data) {
  (void)unused;
  waiter_t* w = context;
  batch_t* b = data;
  if (env != NULL && b != NULL) {
    napi_value ids, undefined, v, callback;
    napi_create_array_with_length(env, b->count, &ids);
    for (uint32_t i = 0; i < b->count; i++) {
      napi_create_uint32(env, b->ids[i], &v);
      napi_set_element(env, ids, i, v);
    }
    napi_get_undefined(env, &undefined);
    for (int i = 0; i < w->ncallbacks; i++) {
      if (napi_get_reference_value(env, w->callbacks[i], &callback) != napi_ok || callback == NULL) continue;
      if (napi_call_function(env, undefined, callback, 1, &ids, NULL) == napi_pending_exception) {
        napi_value error;
        napi_get_and_clear_last_exception(env, &error);
        napi_fatal_exception(env, error);
      }
    }
  }
  free(b);
}

static int add_callback(napi_env env, waiter_t* w, napi_value callback) {
  if (w->ncallbacks >= (int)(sizeof w->callbacks / sizeof w->callbacks[0])) return 0;
  return napi_create_reference(env, callback, 1, &w->callbacks[w->ncallbacks++]) == napi_ok;
}

static void wake_control(waiter_t* w) {
  __atomic_add_fetch(&w->control, 1, __ATOMIC_SEQ_CST);
  futex(&w->control, FUTEX_WAKE, 1, NULL);
}

static void waiter_cleanup(void* arg) {
  waiter_t* w = arg;
  if (w->started) {
    pthread_mutex_lock(&w->lock);
    w->stopping = 1;
    pthread_mutex_unlock(&w->lock);
    wake_control(w);
    pthread_join(w->thread, NULL);
    napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
  }
  pthread_mutex_destroy(&w->lock);
  free(w);
}

static waiter_t* get_waiter(napi_env env) {
  waiter_t* w = NULL;
  napi_get_instance_data(env, (void**)&w);
  if (w == NULL || !w->started) napi_throw_error(env, "ERR_INTERNAL", "@ipc/shm: the waiter is not started");
  return w;
}
#endif

// waiterStart(callback) -> true, or false where futex_waitv is missing (Linux < 5.16).
// callback(ids: number[]) is called on the JS thread with the ids of finished waits.
static napi_value waiter_start_js(napi_env env, napi_callback_info info) {
  napi_value result;
#ifdef __linux__
  napi_value argv[1], name;
  if (!get_args(env, info, 1, argv)) return NULL;
  waiter_t* w = NULL;
  napi_get_instance_data(env, (void**)&w);
  if (w != NULL) {
    if (w->started && !add_callback(env, w, argv[0])) return throw_errno(env, EMFILE, "waiterStart");
    napi_get_boolean(env, w->started, &result);
    return result;
  }
  struct waitv probe = {1, 0, FUTEX_32, 0};
  uint32_t word = 0;
  probe.uaddr = (uintptr_t)&word;
  int supported = futex_waitv(&probe, 1) < 0 && errno == EAGAIN;
  w = calloc(1, sizeof *w);
  if (w == NULL) return throw_errno(env, ENOMEM, "calloc");
  pthread_mutex_init(&w->lock, NULL);
  CHECK(napi_set_instance_data(env, w, NULL, NULL));
  napi_add_env_cleanup_hook(env, waiter_cleanup, w);
  if (supported) {
    CHECK(napi_create_string_utf8(env, "@ipc/shm futex waiter", NAPI_AUTO_LENGTH, &name));
    add_callback(env, w, argv[0]);
    CHECK(napi_create_threadsafe_function(env, NULL, NULL, name, 0, 1, NULL, NULL, w, deliver, &w->tsfn));
    CHECK(napi_unref_threadsafe_function(env, w->tsfn));
    if (pthread_create(&w->thread, NULL, waiter_main, w) != 0) {
      napi_release_threadsafe_function(w->tsfn, napi_tsfn_abort);
      return throw_errno(env, errno, "pthread_create");
    }
    w->started = 1;
  }
  napi_get_boolean(env, w->started, &result);
#else
  napi_get_boolean(env, false, &result);
#endif
  return result;
}

// waiterAdd(buffer, byteOffset, expected, id) -> true, or false when every slot is taken.
static napi_value waiter_add_js(napi_env env, napi_callback_info info) {
  napi_value result;
#ifdef __linux__
  napi_value argv[4];
  if (!get_args(env, info, 4, argv)) return NULL;
  waiter_t* w = get_waiter(env);
  if (w == NULL) return NULL;
  uint32_t* addr = word_at(env, argv[0], argv[1]);
  if (addr == NULL) return NULL;
  int32_t expected;
  uint32_t id;
  CHECK(napi_get_value_int32(env, argv[2], &expected));
  CHECK(napi_get_value_uint32(env, argv[3], &id));
  int added = 0;
  pthread_mutex_lock(&w->lock);
  for (int i = 0; i < WAITER_SLOTS && !added; i++) {
    if (w->slots[i].active) continue;
    w->slots[i] = (slot_t){addr, (uint32_t)expected, id, 1};
    added = 1;
  }
  pthread_mutex_unlock(&w->lock);
  if (added) wake_control(w);
  napi_get_boolean(env, added, &result);
#else
  napi_get_boolean(env, false, &result);
#endif
  return result;
}

// waiterCancel(id): forgets a pending wait (its id is never delivered afterwards).
static napi_value waiter_cancel_js(napi_env env, napi_callback_info info) {
#ifdef __linux__
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  waiter_t* w = get_waiter(env);
  if (w == NULL) return NULL;
  uint32_t id;
  CHECK(napi_get_value_uint32(env, argv[0], &id));
  int found = 0;
  pthread_mutex_lock(&w->lock);
  for (int i = 0; i < WAITER_SLOTS; i++) {
    if (w->slots[i].active && w->slots[i].id == id) {
      w->slots[i].active = 0;
      found = 1;
    }
  }
  pthread_mutex_unlock(&w->lock);
  if (found) wake_control(w);
#endif
  return NULL;
}

// waiterRef(keepAlive): a module copy has (true) or no longer has (false) pending waits; the event
// loop is kept alive while any copy has some.
static napi_value waiter_ref_js(napi_env env, napi_callback_info info) {
#ifdef __linux__
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  waiter_t* w = get_waiter(env);
  if (w == NULL) return NULL;
  bool keep;
  CHECK(napi_get_value_bool(env, argv[0], &keep));
  if (keep && w->keepalive++ == 0) CHECK(napi_ref_threadsafe_function(env, w->tsfn));
  if (!keep && w->keepalive > 0 && --w->keepalive == 0) CHECK(napi_unref_threadsafe_function(env, w->tsfn));
#endif
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"shmOpen", NULL, shm_open_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"shmUnlink", NULL, shm_unlink_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"mkfifo", NULL, mkfifo_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"mmap", NULL, mmap_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"msync", NULL, msync_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"futexWait", NULL, futex_wait_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"futexWake", NULL, futex_wake_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"waiterStart", NULL, waiter_start_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"waiterAdd", NULL, waiter_add_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"waiterCancel", NULL, waiter_cancel_js, NULL, NULL, NULL, napi_enumerable, NULL},
      {"waiterRef", NULL, waiter_ref_js, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  napi_value page;
  napi_create_int32(env, (int32_t)sysconf(_SC_PAGESIZE), &page);
  napi_set_named_property(env, exports, "pageSize", page);
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
